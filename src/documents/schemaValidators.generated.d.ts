// Types of the validators that esbuild.mjs compiles from schemas/*.schema.json.

export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export interface SchemaValidator {
  (value: unknown): boolean;
  errors?: SchemaError[] | null;
}

export const account: SchemaValidator;
export const contact: SchemaValidator;
