// Injected faults for API requests, keyed by route patterns such as
// 'PUT /api/v1/Customers/accounts/:id'.
import type { JsonValue } from './json';
import { isJsonObject, stringifyJson, toSafeInteger } from './json';

export interface FaultSpec {
  /** Delay in ms before the fault (or the normal response) is sent. */
  latencyMs?: number;
  /** Status of the injected response. */
  status?: number;
  /**
   * Body of the injected response. Without it the body is a ProblemDetails JSON object, or the
   * HTML page when `html` is set.
   */
  body?: string;
  contentType?: string;
  /** Sends an HTML error page with content type text/html instead of JSON. */
  html?: boolean;
  /** Value of the Retry-After header, in seconds or as an HTTP date. */
  retryAfter?: string | number;
  /**
   * Sends a JSON body that echoes the request: method, URL with the apiKey in clear, headers
   * and body, as a misbehaving server or proxy might. Use it to check that clients redact the key.
   */
  echoRequest?: boolean;
  /** Destroys the socket without sending a response. */
  reset?: boolean;
  /** Never responds, until the emulator closes. */
  hang?: boolean;
  /** Applies to the next N matching requests, then the fault removes itself. */
  times?: number;
  /** Applies only to every Nth matching request (the Nth, 2Nth, ...). */
  every?: number;
}

interface FaultRule {
  /** Route text as given, normalised to 'METHOD /path'. */
  route: string;
  method: string;
  /**
   * Lower-cased path segments, where ':name' and '*' match any one segment. Undefined matches
   * every path.
   */
  segments: string[] | undefined;
  specificity: number;
  spec: FaultSpec;
  matched: number;
  applied: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', '*'];
const SPEC_KEYS = new Set([
  'latencyMs',
  'status',
  'body',
  'contentType',
  'html',
  'retryAfter',
  'echoRequest',
  'reset',
  'hang',
  'times',
  'every',
]);

function splitPath(path: string): string[] {
  return path
    .toLowerCase()
    .split('/')
    .filter((segment) => segment !== '');
}

function isPlaceholder(segment: string): boolean {
  return segment === '*' || segment.startsWith(':');
}

/**
 * Active faults. When several rules match a request, the most specific one applies: more literal
 * path segments win, then an explicit method over '*', then the rule set last.
 */
export class FaultRegistry {
  private rules: FaultRule[] = [];

  /** Adds a fault, replacing any fault set for the same route. Throws on an invalid route. */
  set(route: string, spec: FaultSpec): void {
    validateFaultSpec(spec);

    const parts = route.trim().split(/\s+/);
    if (parts.length !== 2) {
      throw new Error(
        `Invalid fault route '${route}'. Use 'METHOD /path', for example 'GET /api/v1/Customers/accounts' or '* *'.`,
      );
    }
    const method = parts[0].toUpperCase();
    if (!METHODS.includes(method)) {
      throw new Error(
        `Invalid method '${parts[0]}' in fault route '${route}'. Use one of ${METHODS.join(', ')}.`,
      );
    }
    const path = parts[1];
    if (path !== '*' && !path.startsWith('/')) {
      throw new Error(
        `Invalid path '${path}' in fault route '${route}'. The path must start with '/' or be '*'.`,
      );
    }

    const segments = path === '*' ? undefined : splitPath(path);
    const literalCount = segments?.filter((segment) => !isPlaceholder(segment)).length ?? 0;
    const normalised = `${method} ${segments ? '/' + segments.join('/') : '*'}`;
    this.rules = this.rules.filter((rule) => rule.route !== normalised);
    this.rules.push({
      route: normalised,
      method,
      segments,
      specificity: literalCount * 2 + (method === '*' ? 0 : 1),
      spec: { ...spec },
      matched: 0,
      applied: 0,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Lists the active faults with their route, for the control routes. */
  list(): { route: string; fault: FaultSpec }[] {
    return this.rules.map((rule) => ({ route: rule.route, fault: { ...rule.spec } }));
  }

  /**
   * Counts a request against the most specific matching rule and returns its fault if this
   * request triggers it. A rule with `every` skips the requests in between: they get no fault,
   * even when a less specific rule also matches.
   */
  take(method: string, pathname: string): FaultSpec | undefined {
    const segments = splitPath(pathname);
    let best: FaultRule | undefined;
    for (const rule of this.rules) {
      if (!matches(rule, method.toUpperCase(), segments)) continue;
      if (best === undefined || rule.specificity >= best.specificity) best = rule;
    }
    if (best === undefined) return undefined;

    best.matched++;
    if (best.spec.every !== undefined && best.matched % best.spec.every !== 0) return undefined;
    best.applied++;
    if (best.spec.times !== undefined && best.applied >= best.spec.times) {
      this.rules = this.rules.filter((rule) => rule !== best);
    }
    return best.spec;
  }
}

function matches(rule: FaultRule, method: string, segments: string[]): boolean {
  if (rule.method !== '*' && rule.method !== method) return false;
  if (rule.segments === undefined) return true;
  if (rule.segments.length !== segments.length) return false;
  return rule.segments.every(
    (segment, index) => isPlaceholder(segment) || segment === segments[index],
  );
}

function validateFaultSpec(spec: FaultSpec): void {
  const checkCount = (name: 'times' | 'every' | 'latencyMs', minimum: number) => {
    const value = spec[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < minimum)) {
      throw new Error(`Invalid fault ${name} ${String(value)}: expected an integer >= ${minimum}.`);
    }
  };
  checkCount('times', 1);
  checkCount('every', 1);
  checkCount('latencyMs', 0);
  const status = spec.status;
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) {
    throw new Error(
      `Invalid fault status ${String(status)}: expected an HTTP status from 100 to 599.`,
    );
  }
}

/**
 * Converts the JSON `fault` object of POST /__emulator/faults to a FaultSpec. Throws with a
 * message naming the invalid member.
 */
export function parseFaultSpec(value: JsonValue | undefined): FaultSpec {
  if (!isJsonObject(value)) throw new Error("The 'fault' member must be a JSON object.");
  const spec: FaultSpec = {};
  for (const [key, member] of Object.entries(value)) {
    if (!SPEC_KEYS.has(key)) {
      throw new Error(
        `Unknown fault member '${key}'. Valid members: ${[...SPEC_KEYS].join(', ')}.`,
      );
    }
    if (member === null) continue;
    const invalid = () => new Error(`Invalid fault member '${key}': ${stringifyJson(member)}.`);
    switch (key) {
      case 'latencyMs':
      case 'status':
      case 'times':
      case 'every': {
        const number = toSafeInteger(member);
        if (number === undefined) throw invalid();
        spec[key] = number;
        break;
      }
      case 'body':
      case 'contentType':
        if (typeof member !== 'string') throw invalid();
        spec[key] = member;
        break;
      case 'html':
      case 'echoRequest':
      case 'reset':
      case 'hang':
        if (typeof member !== 'boolean') throw invalid();
        spec[key] = member;
        break;
      case 'retryAfter': {
        const seconds = toSafeInteger(member);
        if (typeof member === 'string') spec.retryAfter = member;
        else if (seconds !== undefined) spec.retryAfter = seconds;
        else throw invalid();
        break;
      }
    }
  }
  validateFaultSpec(spec);
  return spec;
}
