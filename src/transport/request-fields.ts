/**
 * The fields of a request head (path, header names and values) checked as strictly as llhttp
 * and undici: a value that would break the head (a CR/LF from a CSV row injects a header) is
 * refused before anything is sent. Each check returns what is wrong, or undefined.
 */

/** RFC 9110 token: a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Anything but tab, printable ASCII and Latin-1 (undici's `headerCharRegex`). */
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
/** Anything but visible ASCII in a path. */
const NOT_VISIBLE_ASCII = /[^\x21-\x7e]/;
/** Runs of non-ASCII characters, and spaces (a raw space would end the path). */
const TO_ENCODE = /[\u0080-\u{10ffff}]+| /gu;

/**
 * Percent-encodes the non-ASCII characters (as UTF-8) and spaces of a path, as the URL parser
 * does: a templated value may hold them.
 */
export function encodePath(path: string): string {
  if (!NOT_VISIBLE_ASCII.test(path)) return path; // the usual case: nothing to do
  return path.replace(TO_ENCODE, (run) => {
    let out = '';
    for (const byte of Buffer.from(run, 'utf8')) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  });
}

/** What is wrong with a path once encoded (a control character), or undefined. */
export function pathProblem(path: string, templated: boolean): string | undefined {
  const bad = NOT_VISIBLE_ASCII.exec(path);
  if (!bad) return undefined;
  const after = templated ? ' after templating' : '';
  return `the path ${controlProblem(bad[0], after)}`;
}

/** True for a valid header name (an RFC 9110 token). */
export function isToken(name: string): boolean {
  return TOKEN.test(name);
}

/** True for a header value of tab, printable ASCII and Latin-1 only (no CR, LF, NUL, …). */
export function isHeaderValue(value: string): boolean {
  return !BAD_VALUE_CHAR.test(value);
}

/** What is wrong with a header name, or undefined. */
export function headerNameProblem(name: string): string | undefined {
  if (TOKEN.test(name)) return undefined;
  return `the header name ${JSON.stringify(name)} is not a valid token: refused, expected letters, digits and !#$%&'*+-.^_\`|~`;
}

/** What is wrong with a header value, or undefined. */
export function headerValueProblem(value: string, templated: boolean): string | undefined {
  const bad = BAD_VALUE_CHAR.exec(value);
  if (!bad) return undefined;
  const after = templated ? ' after templating' : '';
  const char = bad[0];
  if (char.charCodeAt(0) > 0xff) {
    // the character itself is not named: one error group per field, whatever the data rows hold
    return `the value holds a character outside Latin-1 (above U+00FF)${after}: refused, a header value is bytes (undici refuses it too); percent-encode or base64-encode it`;
  }
  return `the value ${controlProblem(char, after)}`;
}

function controlProblem(char: string, after: string): string {
  if (char === '\r' || char === '\n') {
    return `holds a line break (CR/LF)${after}: refused, it would inject a header`;
  }
  if (char === '\0') return `holds a NUL byte${after}: refused, servers truncate or reject it`;
  return `holds the control character ${codePoint(char.charCodeAt(0))}${after}: refused, expected printable characters`;
}

const codePoint = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
