// Schema pieces for reading a webhook payload, which is untrusted JSON: a field of the wrong type
// reads as absent, never as an error or a crash. Only the fields a schema names are kept.
import * as v from "valibot";

/** A string; null when absent or of another type. */
export const text = v.fallback(v.nullable(v.string()), null);
/** A finite number; null when absent or of another type. */
export const count = v.fallback(v.nullable(v.pipe(v.number(), v.finite())), null);
/** True only when it is `true`. */
export const flag = v.fallback(v.boolean(), false);

/** An object's named fields; anything that is not an object reads as one without them. */
export function record<const E extends v.ObjectEntries>(entries: E) {
  const schema = v.object(entries);
  return v.fallback(schema, () => v.parse(schema, {}));
}

/** A list; anything else reads as an empty one. */
export function list<S extends v.GenericSchema>(item: S) {
  return v.fallback(v.array(item), []);
}

/** Never fails: every piece above falls back. */
export function read<S extends v.GenericSchema>(schema: S, payload: unknown): v.InferOutput<S> {
  return v.parse(schema, payload);
}
