import {
  FIELD_SENTENCES,
  MEANINGS,
  PHRASES,
  REQUIRED,
  saysAny,
  SCHEME_SENTENCES,
  type Meaning,
} from './response-phrases.js';

/**
 * What a 4xx response says is wrong, read from its body, whatever the shape: FastAPI/pydantic
 * (`detail: [{loc, msg, type}]`), RFC 7807 problem details (`title`, `detail`), Express
 * validators (`errors: [{path, msg}]`), Django REST and Laravel (`{field: [...]}`), Ajv, Joi and
 * class-validator sentences, Spring (`message`), OAuth2 (`error`, `error_description`), plain
 * text; and from its headers (`WWW-Authenticate`). The phrases are data
 * (`response-phrases.ts`). Pure: a rule decides from it, never from the request's shape alone.
 */
export interface ResponseSays {
  /** The human messages of the body, joined (at most 300 characters). */
  message: string;
  /** The fields a validation error names, with whether it says they are absent. */
  fields: FieldError[];
  /** What the body's words mean, most specific first. */
  meanings: Meaning[];
  /** The schemes `WWW-Authenticate` challenges with (`Bearer`, `Token`), as the API wrote them. */
  challenges: string[];
  /** The schemes the body names (`Format is "Authorization: Bearer <token>"`). */
  namedSchemes: string[];
}

export interface FieldError {
  name: string;
  /** Where the API looked for it: body, query, header... when it says. */
  location?: string;
  message: string;
  /** The error says the field is absent ("required", "missing", a validator's absent value). */
  missing: boolean;
}

/** One meaning of a body, as the older rules and tests read it. */
export type BodySays =
  | { kind: 'credentials-rejected'; message: string }
  | { kind: 'fields-missing'; fields: { name: string; location?: string }[]; message: string }
  | { kind: 'content-type'; message: string }
  | { kind: 'token'; problem: 'missing' | 'expired' | 'invalid'; message: string }
  | { kind: 'csrf'; message: string };

type Json = unknown;

/** What a 4xx response says (undefined for other statuses). */
export function whatTheResponseSays(
  status: number,
  body: string | undefined,
  headers: Record<string, string> = {},
): ResponseSays | undefined {
  if (status < 400 || status >= 500) return undefined;
  const text = (body ?? '').trim();
  let json: Json;
  try {
    json = /^[{[]/.test(text) || /^"[^"]*"$/.test(text) ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  // RFC 6750: a bearer refusal may say why in its challenge only (Spring Security, ASP.NET Core)
  const messages = [
    ...(json === undefined ? [text] : collectMessages(json)),
    ...challengeMessages(headers),
  ].filter(Boolean);
  const message = messages.join('; ').slice(0, 300) || text.slice(0, 300);
  const fields = json === undefined ? [] : structuredFields(json);
  for (const m of messages) for (const f of sentenceFields(m)) addField(fields, f);
  if (!fields.some((f) => f.missing)) {
    for (const m of messages) for (const f of listedMissing(m)) addField(fields, f);
  }
  const all = messages.join('\n');
  const meanings = MEANINGS.filter((meaning) => saysAny(all, PHRASES[meaning]));
  if (status === 415 && !meanings.includes('media-type')) meanings.unshift('media-type');
  const namedSchemes = SCHEME_SENTENCES.flatMap((p) => {
    const scheme = p.exec(all)?.groups?.scheme;
    return scheme ? [scheme] : [];
  });
  return { message, fields, meanings, challenges: challengesOf(headers), namedSchemes };
}

/** The older, single reading: missing fields first, then the first meaning. */
export function whatTheBodySays(status: number, body: string | undefined): BodySays | undefined {
  const says = whatTheResponseSays(status, body);
  if (!says) return undefined;
  const { message } = says;
  const missing = says.fields.filter((f) => f.missing);
  if (missing.length > 0) {
    return {
      kind: 'fields-missing',
      fields: missing.map((f) => ({
        name: f.name,
        ...(f.location ? { location: f.location } : {}),
      })),
      message,
    };
  }
  const first = says.meanings[0];
  if (first === undefined) return undefined;
  if (first === 'csrf') return { kind: 'csrf', message };
  if (first === 'media-type' || first === 'json-expected') return { kind: 'content-type', message };
  if (first === 'credentials-rejected') return { kind: 'credentials-rejected', message };
  const problem =
    first === 'token-expired'
      ? 'expired'
      : first === 'token-invalid' || first === 'token-scheme'
        ? 'invalid'
        : 'missing';
  return { kind: 'token', problem, message };
}

const wwwAuthenticate = (headers: Record<string, string>) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === 'www-authenticate')?.[1];

/** The auth schemes of `WWW-Authenticate` (`Bearer realm="api", error="invalid_token"` → Bearer). */
function challengesOf(headers: Record<string, string>): string[] {
  const value = wwwAuthenticate(headers)?.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (!value) return [];
  // a scheme is a token followed by a space or the end, not a parameter's name (followed by =)
  return [...value.matchAll(/(?:^|,)\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)(?=\s+[^=\s]|\s*$|\s*,)/g)]
    .map((m) => m[1] as string)
    .filter((s, i, all) => all.indexOf(s) === i);
}

/**
 * What a challenge says of the refusal (RFC 6750): `error="invalid_token",
 * error_description="Jwt expired at 2026-12-08T03:00:00Z"` → both, as messages.
 */
function challengeMessages(headers: Record<string, string>): string[] {
  const value = wwwAuthenticate(headers);
  if (!value) return [];
  return [...value.matchAll(/\b(error_description|error)\s*=\s*"((?:[^"\\]|\\.)*)"/g)]
    .map((m) => (m[2] as string).replace(/_/g, ' '))
    .filter((m) => m.trim() !== '');
}

function isRecord(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const MESSAGE_KEYS = [
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
];

/** Every human message of a JSON error body, whatever its shape. */
function collectMessages(json: Json, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof json === 'string') return [json];
  if (Array.isArray(json)) return json.flatMap((item) => collectMessages(item, depth + 1));
  if (!isRecord(json)) return [];
  const out: string[] = [];
  for (const key of MESSAGE_KEYS) {
    if (key in json) out.push(...collectMessages(json[key], depth + 1));
  }
  if (out.length === 0) {
    // Django REST / Rails / WTForms: {field: ["message"]}
    for (const [field, value] of Object.entries(json)) {
      for (const m of collectMessages(value, depth + 1)) out.push(`${field}: ${m}`);
    }
  }
  return out;
}

function addField(found: FieldError[], field: FieldError): void {
  const same = found.find((f) => f.name === field.name);
  if (!same) found.push(field);
  else if (field.missing && !same.missing) Object.assign(same, field);
}

/** The fields named by a structured validation error, with its message. */
function structuredFields(json: Json): FieldError[] {
  const found: FieldError[] = [];
  const visit = (value: Json, depth: number) => {
    if (depth > 4) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1));
    if (!isRecord(value)) return;
    // pydantic / FastAPI: {loc: ["body", "username"], msg: "Field required", type: "missing"}
    if (Array.isArray(value.loc)) {
      const msg = String(value.msg ?? '');
      const loc = value.loc.map(String);
      const name = loc[loc.length - 1];
      // loc ["body"]: the whole body, not a field (its message says what was wrong with it)
      if (name && !(loc.length === 1 && WHOLE.test(name))) {
        addField(found, {
          name,
          ...(loc.length > 1 ? { location: loc[0] as string } : {}),
          message: msg,
          missing: /missing/.test(String(value.type ?? '')) || REQUIRED.test(msg),
        });
      }
      return;
    }
    // express-validator: {type: "field", path, location, msg[, value]}; Spring: defaultMessage
    // (not `message`, whose `path` is the URL)
    const field = value.path ?? value.param ?? value.field ?? value.property;
    const msg = value.msg ?? value.defaultMessage;
    if (typeof field === 'string' && !field.startsWith('/') && typeof msg === 'string') {
      const location = typeof value.location === 'string' ? value.location : undefined;
      addField(found, {
        name: field,
        ...(location ? { location } : {}),
        message: msg,
        // express-validator leaves `value` out when the field was absent
        missing: REQUIRED.test(msg) || (value.type === 'field' && !('value' in value)),
      });
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === 'detail' || key === 'errors' || key === 'error') visit(item, depth + 1);
      // Django REST / Rails / Laravel / ASP.NET / WTForms: {field: ["This field is required."]}
      else if (
        !MESSAGE_KEYS.includes(key) &&
        Array.isArray(item) &&
        item.length > 0 &&
        item.every((m) => typeof m === 'string')
      ) {
        const text = (item as string[]).join(' ');
        addField(found, { name: key, message: text, missing: REQUIRED.test(text) });
      }
    }
  };
  visit(json, 0);
  return found;
}

/** A location that is the whole of a request part, not a field. */
const WHOLE = /^(body|query|querystring|header|headers|path|cookie|params)$/;

/** A sentence of `FIELD_SENTENCES` naming its field. */
function sentenceFields(message: string): FieldError[] {
  const text = message.trim();
  return FIELD_SENTENCES.flatMap(({ pattern, missing }) => {
    const groups = pattern.exec(text)?.groups;
    if (!groups?.name) return [];
    const location = groups.location === 'querystring' ? 'query' : groups.location?.toLowerCase();
    return [{ name: groups.name, ...(location ? { location } : {}), message: text, missing }];
  });
}

/** Words that name no field in "… is required" ("This field is required", "A token is required"). */
const NOT_A_FIELD =
  /^(this|that|it|field|fields|value|values|body|input|parameter|parameters|header|authorization|authentication|token|login|a|an|the)$/i;

/**
 * A sentence listing the fields: "Email and password are required" (json-server-auth),
 * "username is required", "name, email and password are missing". A capitalised first word is
 * the sentence's capital, not the field's ("Email" is `email`).
 */
function listedMissing(message: string): FieldError[] {
  const match =
    /^(?:the )?([A-Za-z_][\w.-]*(?:\s*,\s*[A-Za-z_][\w.-]*)*(?:,?\s+and\s+[A-Za-z_][\w.-]*)?)\s+(?:is|are)\s+(?:required|missing)\b/i.exec(
      message.trim(),
    );
  if (!match) return [];
  const names = (match[1] as string).split(/\s*,\s*|\s+and\s+/);
  if (names.some((n) => NOT_A_FIELD.test(n))) return [];
  return names.map((name, i) => ({
    name: i === 0 && /^[A-Z][a-z0-9_]*$/.test(name) ? name.toLowerCase() : name,
    message: message.trim(),
    missing: true,
  }));
}
