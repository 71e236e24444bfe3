// Swagger UI for this service's OpenAPI document, with "Try it out" sending its requests where
// this page came from: the service's own port (/docs) or the gateway (/api/<service>/docs).
const base = window.location.pathname.replace(/\/docs\/?$/, "");
fetch(`${base}/openapi.json`)
  .then((answer) => answer.json())
  .then((spec) => {
    spec.servers = [{ url: base || "/" }];
    window.SwaggerUIBundle({
      spec,
      dom_id: "#swagger-ui",
      deepLinking: true,
      validatorUrl: null, // no badge from an outside validator
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  });
