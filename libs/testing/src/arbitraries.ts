// Requests made up from the API's own OpenAPI document, for property-based tests: for a JSON schema, a fast-check
// arbitrary of values it describes. What the document cannot say (cross-field rules) the server may still refuse,
// which a test checks is done with a documented problem.
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

export interface ArbitraryOptions {
  /** Ids that exist (a session, a patient): a generated UUID is one of these as often as a random one. */
  knownIds?: string[];
}

export function arbitraryOf(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  options: ArbitraryOptions = {},
): fc.Arbitrary<unknown> {
  if (schema.$ref) return arbitraryOf(components[schema.$ref.split('/').pop()!], components, options);
  const plain = plainArbitrary(schema, components, options);
  return schema.nullable ? fc.oneof(plain, fc.constant(null)) : plain;
}

function plainArbitrary(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  options: ArbitraryOptions,
): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryOf(s, components, options)));
  if (schema.allOf) return arbitraryOf(Object.assign({}, ...schema.allOf), components, options);
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case 'string':
      return stringArbitrary(schema, options);
    case 'integer':
      return fc.integer({
        min: bound(schema.minimum, schema.exclusiveMinimum, 1, -1000),
        max: bound(schema.maximum, schema.exclusiveMaximum, -1, 1000),
      });
    case 'number':
      // Fractions (a VAT rate of 0..1) in thousandths; other numbers whole, as the API takes them.
      if (schema.maximum !== undefined && schema.maximum <= 1)
        return fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
      return fc.integer({
        min: bound(schema.minimum, schema.exclusiveMinimum, 1, -1000),
        max: bound(schema.maximum, schema.exclusiveMaximum, -1, 1000),
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, components, options), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, arbitraryOf(v, components, options)]),
      );
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.oneof(fc.string(), fc.integer(), fc.boolean());
  }
}

function bound(inclusive: number | undefined, exclusive: number | undefined, step: number, fallback: number): number {
  if (inclusive !== undefined) return step > 0 ? Math.ceil(inclusive) : Math.floor(inclusive);
  if (exclusive !== undefined) return exclusive + step;
  return fallback;
}

function stringArbitrary(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return options.knownIds?.length ? fc.oneof(fc.constantFrom(...options.knownIds), fc.uuid()) : fc.uuid();
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString());
  }
  const length = { minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) };
  if (!schema.pattern) return fc.string({ ...length, unit: 'grapheme' });
  const pattern = new RegExp(schema.pattern);
  const fits = (s: string) => s.length >= length.minLength && s.length <= (schema.maxLength ?? 10000);
  // A "no such characters" pattern is any text that passes it; a shape (a phone, a code) is generated from it.
  if (schema.pattern.startsWith('^[^'))
    return fc.string({ ...length, unit: 'grapheme' }).filter((s) => pattern.test(s));
  return fc.stringMatching(pattern).filter(fits);
}
