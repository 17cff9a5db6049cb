// Reading request bodies and writing responses with node:http.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { stringifyJson } from './json';

/** Maximum request body size in bytes. Larger bodies get 413. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type BodyReadResult =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'invalidUtf8'; text: string }
  | { kind: 'tooLarge' };

/** Reads the whole request body and decodes it as UTF-8 (a leading BOM is dropped). */
export function readBody(request: IncomingMessage): Promise<BodyReadResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      if (tooLarge) return resolve({ kind: 'tooLarge' });
      if (size === 0) return resolve({ kind: 'empty' });
      const bytes = Buffer.concat(chunks);
      try {
        resolve({ kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) });
      } catch {
        resolve({ kind: 'invalidUtf8', text: new TextDecoder('utf-8').decode(bytes) });
      }
    });
  });
}

export interface OutgoingResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; any other value except undefined is serialised as JSON. */
  body?: unknown;
}

/** Writes a complete response. JSON bodies get `application/json; charset=utf-8`. */
export function writeResponse(response: ServerResponse, outgoing: OutgoingResponse): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string> = { ...outgoing.headers };
  let payload: Buffer | undefined;
  if (outgoing.body !== undefined && outgoing.status !== 204) {
    const isText = typeof outgoing.body === 'string';
    const text = isText ? (outgoing.body as string) : stringifyJson(outgoing.body);
    payload = Buffer.from(text, 'utf8');
    if (!hasHeader(headers, 'content-type')) {
      headers['Content-Type'] = isText
        ? 'text/plain; charset=utf-8'
        : 'application/json; charset=utf-8';
    }
  }
  // A 204 response must not carry Content-Length (RFC 9110, section 8.6).
  if (outgoing.status !== 204) {
    headers['Content-Length'] = String(payload?.length ?? 0);
  }
  response.writeHead(outgoing.status, STATUS_CODES[outgoing.status] ?? 'Unknown', headers);
  response.end(payload);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}
