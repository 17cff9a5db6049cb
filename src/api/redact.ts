/**
 * Secrets that must never reach a log line, an error message or the UI. The API client
 * registers its key here, and `redact` replaces every occurrence of a registered secret,
 * plain or URL-encoded, as well as any `apiKey=` query value, with `***`.
 */
const secrets = new Set<string>();

/** Adds a secret that `redact` removes from every string from now on. */
export function registerSecret(secret: string): void {
  // Very short values would blank out ordinary words, and no real key is that short.
  if (secret.length >= 4) secrets.add(secret);
}

export function forgetSecret(secret: string): void {
  secrets.delete(secret);
}

const apiKeyParameter = /([?&;]apikey=)[^&#\s"'<>]*/gi;

/** Returns the text with every registered secret and every `apiKey` query value replaced by `***`. */
export function redact(text: string): string {
  let result = text.replace(apiKeyParameter, '$1***');
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join('***');
    }
  }
  return result;
}
