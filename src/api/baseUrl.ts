/** The base URL of the hosted ProdCamp service. */
export const defaultBaseUrl = 'https://app.prodcamp.com';

/** Error for a base URL that the client will not use, with a message that names the value. */
export class BaseUrlError extends Error {
  override readonly name = 'BaseUrlError';
}

/** Returns whether a host name is the local machine, where plain HTTP is allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * Checks a base URL and returns it without a trailing slash. HTTPS is required unless the
 * host is loopback, because the API key travels in the query string of every request.
 */
export function parseBaseUrl(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BaseUrlError(
      `The base URL "${text}" is not a valid URL. Use the address of your ProdCamp service, such as ${defaultBaseUrl}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BaseUrlError(`The base URL "${text}" must start with https://.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new BaseUrlError(
      `The base URL "${text}" uses plain HTTP. Use https://, because the API key would otherwise travel unencrypted; HTTP is allowed only for localhost and 127.0.0.1.`,
    );
  }
  if (url.username || url.password) {
    throw new BaseUrlError(`The base URL "${url.host}" must not contain a user name or password.`);
  }
  if (url.search || url.hash) {
    throw new BaseUrlError(`The base URL "${text}" must not contain a query or a fragment.`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}
