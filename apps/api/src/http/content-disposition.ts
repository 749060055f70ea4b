/**
 * `attachment` with a file name built from free text (a school's name): the quoted ASCII fallback
 * keeps no quote, backslash or control character, so the name can never close the quoted string and
 * add parameters; `filename*` (RFC 8187) carries the real name, every byte outside attr-char encoded.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
