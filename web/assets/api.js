// Calls to the platform through the gateway (/api/<service>/...), the session kept in this
// browser tab (sessionStorage: gone when the tab closes), and the platform's error bodies
// ({code, message, details}) turned into what a person reads.

const KEYS = { citizen: "dvc.citizen", staff: "dvc.staff" };

export function session(kind) {
  const key = KEYS[kind];
  return {
    get() {
      try {
        return JSON.parse(sessionStorage.getItem(key) || "null");
      } catch {
        return null;
      }
    },
    set(tokens) {
      sessionStorage.setItem(key, JSON.stringify(tokens));
    },
    clear() {
      sessionStorage.removeItem(key);
      sessionStorage.removeItem(`${key}.written`);
    },
    // The consistency token of this session's last write, until a read has shown it.
    wrote(token) {
      if (token) sessionStorage.setItem(`${key}.written`, token);
    },
    written() {
      return sessionStorage.getItem(`${key}.written`);
    },
    seen(token) {
      if (token && sessionStorage.getItem(`${key}.written`) === token) sessionStorage.removeItem(`${key}.written`);
    },
    get token() {
      const value = this.get();
      return value ? value.access_token : null;
    },
  };
}

export class ApiError extends Error {
  constructor(status, body) {
    super(messageOf(status, body));
    this.status = status;
    this.body = body || {};
  }
}

export function messageOf(status, body) {
  if (body && typeof body.message === "string") return body.message;
  if (status === 401) return "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.";
  if (status === 403) return "Ông/bà không có quyền thực hiện thao tác này.";
  if (status === 404) return "Không tìm thấy.";
  if (status === 409) return "Thao tác không thực hiện được vì hồ sơ đã thay đổi.";
  if (status === 413) return "Nội dung gửi lên quá lớn.";
  if (status === 429) return "Ông/bà đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.";
  if (status >= 500) return "Hệ thống đang bận. Vui lòng thử lại sau ít phút.";
  return "Yêu cầu không thực hiện được.";
}

// Read-your-writes (issue 16): a command's answer names the position of what it wrote; a read
// that sends it back waits (up to 2 s) until the view shows that write, instead of answering
// "not found" or the old status.
export const CONSISTENCY = "X-Consistency-Token";

export function writtenBy(answer) {
  return answer.headers.get(CONSISTENCY);
}

// call("POST", "intake", "/v1/dossiers", {json, token, headers, form, consistency}) -> the answer.
export async function call(method, service, path, options = {}) {
  const headers = { Accept: "application/json", ...(options.headers || {}) };
  if (options.consistency) headers[CONSISTENCY] = options.consistency;
  let body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let answer;
  try {
    answer = await fetch(`/api/${service}${path}`, { method, headers, body });
  } catch {
    throw new ApiError(0, { message: "Không kết nối được với hệ thống. Vui lòng kiểm tra mạng và thử lại." });
  }
  const text = await answer.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text };
    }
  }
  if (!answer.ok) throw new ApiError(answer.status, data);
  return { data, headers: answer.headers };
}

export function newKey() {
  return crypto.randomUUID();
}
