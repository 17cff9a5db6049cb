// Error bodies in the ProblemDetails shape that ASP.NET Core returns: type, title, status and,
// for failed validation, errors.
import { STATUS_CODES } from 'node:http';
import type { ValidationErrors } from './validation';

const PROBLEM_TYPES: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
  404: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
  405: 'https://tools.ietf.org/html/rfc9110#section-15.5.6',
  413: 'https://tools.ietf.org/html/rfc9110#section-15.5.14',
  415: 'https://tools.ietf.org/html/rfc9110#section-15.5.16',
  500: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
  502: 'https://tools.ietf.org/html/rfc9110#section-15.6.3',
  503: 'https://tools.ietf.org/html/rfc9110#section-15.6.4',
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ValidationErrors;
}

export function problemDetails(status: number, detail?: string): ProblemDetails {
  const problem: ProblemDetails = {
    type: PROBLEM_TYPES[status] ?? 'about:blank',
    title: STATUS_CODES[status] ?? `HTTP ${status}`,
    status,
  };
  if (detail !== undefined) problem.detail = detail;
  return problem;
}

/** Builds the 400 body that ASP.NET returns for failed model validation. */
export function validationProblem(errors: ValidationErrors): ProblemDetails {
  return {
    type: PROBLEM_TYPES[400],
    title: 'One or more validation errors occurred.',
    status: 400,
    errors,
  };
}
