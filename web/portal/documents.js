// The code intake gives a paper of a procedure: its form code (CT01), or its name without
// diacritics, lower case, words joined by "-" (intake's domain/documents.py `document_code`;
// the browser tests check the two agree on every paper of the catalog).
export function documentCode(name, formCode) {
  if (formCode) return formCode;
  return name
    .replaceAll("đ", "d")
    .replaceAll("Đ", "D")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
