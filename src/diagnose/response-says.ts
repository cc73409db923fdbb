/**
 * What a 4xx response body says is wrong, read from the shapes APIs use: FastAPI/pydantic
 * (`detail: [{loc, msg, type}]`), RFC 7807 problem details (`title`, `detail`), Express
 * validators (`errors: [{path|param, msg}]`), Django REST (`{field: ["This field is required."]}`),
 * Rails and ASP.NET (`errors: {field: [...]}`), Spring (`message`), `error`/`error_description`
 * (OAuth2), and plain text. Pure: a rule decides from it, never from the request's shape alone.
 */
export type BodySays =
  /** The credentials were read and refused. */
  | { kind: 'credentials-rejected'; message: string }
  /** Fields the API expected and did not find, with where it looked (body, query, header...). */
  | { kind: 'fields-missing'; fields: { name: string; location?: string }[]; message: string }
  /** The body's media type is not one the endpoint reads. */
  | { kind: 'content-type'; message: string }
  /** A token was missing, expired or invalid. */
  | { kind: 'token'; problem: 'missing' | 'expired' | 'invalid'; message: string }
  | { kind: 'csrf'; message: string };

const CREDENTIALS =
  /\b(incorrect|invalid|wrong|bad|unknown)\b[\w\s]{0,20}\b(user ?name|password|credentials?|e-?mail|login|account)\b|\b(user ?name|password|credentials?|e-?mail|login)\b[\w\s]{0,20}\b(incorrect|invalid|wrong|do(es)? not match|mismatch)\b|invalid_grant|authentication failed|login failed|\b(cannot|can'?t|could not|unable to) find (the |this )?(user|account)\b|\b(user|account) (was )?not found\b|\bno such (user|account)\b|\b(user|account) does not exist\b/i;
const CONTENT_TYPE =
  /unsupported media type|content[- ]type|application\/x-www-form-urlencoded|multipart\/form-data|expected (a )?form|not (valid )?json|json (body )?(is )?not (accepted|supported)/i;
const TOKEN_EXPIRED = /(token|jwt|session)[\w\s]{0,20}expired|expired[\w\s]{0,10}(token|jwt)/i;
const TOKEN_MISSING =
  /not authenticated|(missing|no)[\w\s]{0,20}(token|authorization|bearer|credentials)|authorization header (is )?(missing|required)|authentication credentials were not provided/i;
const TOKEN_INVALID =
  /could not validate credentials|invalid (token|signature|jwt)|(token|jwt|signature)[\w\s]{0,20}(invalid|malformed|verification failed)|bad signature|\b(incorrect|invalid|unsupported|wrong) (authorization|authentication|auth) (scheme|type)\b/i;
const CSRF = /csrf|xsrf/i;
const REQUIRED =
  /\b(required|missing|must not be (blank|null|empty)|can'?t be blank|may not be (blank|null)|not present)\b/i;

type Json = unknown;

export function whatTheBodySays(status: number, body: string | undefined): BodySays | undefined {
  if (status < 400 || status >= 500) return undefined;
  const text = (body ?? '').trim();
  let json: Json;
  try {
    json = /^[{["]/.test(text) ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const messages = json === undefined ? [text] : collectMessages(json);
  const message = messages.filter(Boolean).join('; ').slice(0, 300) || text.slice(0, 300);
  const missing = [
    ...(json === undefined ? [] : missingFields(json)),
    ...springMissing(messages.join('\n')),
  ];
  // a bare sentence only when no structured shape named the fields
  if (missing.length === 0) missing.push(...messages.flatMap(sentenceMissing));
  if (missing.length > 0) return { kind: 'fields-missing', fields: missing, message };
  const all = messages.join('\n');
  if (CSRF.test(all)) return { kind: 'csrf', message };
  if (status === 415 || CONTENT_TYPE.test(all)) return { kind: 'content-type', message };
  if (TOKEN_EXPIRED.test(all)) return { kind: 'token', problem: 'expired', message };
  if (CREDENTIALS.test(all)) return { kind: 'credentials-rejected', message };
  if (TOKEN_INVALID.test(all)) return { kind: 'token', problem: 'invalid', message };
  if (TOKEN_MISSING.test(all)) return { kind: 'token', problem: 'missing', message };
  return undefined;
}

function isRecord(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every human message of a JSON error body, whatever its shape. */
function collectMessages(json: Json, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof json === 'string') return [json];
  if (Array.isArray(json)) return json.flatMap((item) => collectMessages(item, depth + 1));
  if (!isRecord(json)) return [];
  const out: string[] = [];
  for (const key of [
    'title',
    'detail',
    'message',
    'msg',
    'error',
    'error_description',
    'errors',
    'non_field_errors',
    'description',
    'reason',
  ]) {
    if (key in json) out.push(...collectMessages(json[key], depth + 1));
  }
  if (out.length === 0) {
    // Django REST / Rails: {field: ["message"]}
    for (const [field, value] of Object.entries(json)) {
      for (const m of collectMessages(value, depth + 1)) out.push(`${field}: ${m}`);
    }
  }
  return out;
}

/** Fields the body says are required and missing. */
function missingFields(json: Json): { name: string; location?: string }[] {
  const found: { name: string; location?: string }[] = [];
  const add = (name: string, location?: string) => {
    if (name && !found.some((f) => f.name === name && f.location === location))
      found.push({ name, ...(location ? { location } : {}) });
  };
  const visit = (value: Json, depth: number) => {
    if (depth > 4) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1));
    if (!isRecord(value)) return;
    // pydantic / FastAPI: {loc: ["body", "username"], msg: "field required", type: "missing"}
    if (Array.isArray(value.loc)) {
      const text = `${String(value.type ?? '')} ${String(value.msg ?? '')}`;
      if (/missing/.test(String(value.type ?? '')) || REQUIRED.test(text)) {
        const loc = value.loc.map(String);
        const location = loc.length > 1 ? loc[0] : undefined;
        add(loc[loc.length - 1] as string, location);
      }
      return;
    }
    // express-validator: {path|param: "email", msg: "..."}
    const field = value.path ?? value.param ?? value.field ?? value.property;
    // (express: msg; Spring validation: defaultMessage; not `message`, whose `path` is the URL)
    const text = String(value.msg ?? value.defaultMessage ?? '');
    if (typeof field === 'string' && !field.startsWith('/') && REQUIRED.test(text)) {
      add(field, typeof value.location === 'string' ? value.location : undefined);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === 'detail' || key === 'errors' || key === 'error') visit(item, depth + 1);
      // Django REST / Rails / ASP.NET: {field: ["This field is required."]}
      else if (Array.isArray(item) && item.some((m) => typeof m === 'string' && REQUIRED.test(m)))
        add(key);
    }
  };
  visit(json, 0);
  return found;
}

/** Spring: "Required request parameter 'username' for method parameter type String is not present". */
function springMissing(text: string): { name: string; location?: string }[] {
  const match = /Required (request )?(parameter|header|part) '([^']+)'/i.exec(text);
  return match ? [{ name: match[3] as string, location: (match[2] as string).toLowerCase() }] : [];
}

/** Words that name no field in "… is required" ("This field is required", "A token is required"). */
const NOT_A_FIELD =
  /^(this|that|it|field|fields|value|values|body|input|parameter|parameters|header|authorization|authentication|token|login|a|an|the)$/i;

/**
 * A sentence naming the fields: "Email and password are required" (json-server-auth),
 * "username is required", "name, email and password are missing". A capitalised first word is
 * the sentence's capital, not the field's ("Email" is `email`).
 */
function sentenceMissing(message: string): { name: string }[] {
  const match =
    /^(?:the )?([A-Za-z_][\w.-]*(?:\s*,\s*[A-Za-z_][\w.-]*)*(?:,?\s+and\s+[A-Za-z_][\w.-]*)?)\s+(?:is|are)\s+(?:required|missing)\b/i.exec(
      message.trim(),
    );
  if (!match) return [];
  const names = (match[1] as string).split(/\s*,\s*|\s+and\s+/);
  if (names.some((n) => NOT_A_FIELD.test(n))) return [];
  return names.map((name, i) => ({
    name: i === 0 && /^[A-Z][a-z0-9_]*$/.test(name) ? name.toLowerCase() : name,
  }));
}
