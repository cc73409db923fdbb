import type { SchemeNeed } from '../model/openapi-evidence.js';

/**
 * The loadgate.yml lines that send a scheme's credentials: `token` for a bearer (a login's
 * captured `${token}` by default), an `${env.…}` placeholder otherwise. Never a real secret.
 */
export function credentialsYaml(need: SchemeNeed, token = '${token}'): string {
  if (need.type === 'apiKey') {
    const value = '${env.API_KEY}';
    const param = need.param ?? '';
    if (need.in === 'query') return `query: { ${yamlKey(param)}: "${value}" }`;
    if (need.in === 'cookie') return `headers: { Cookie: ${JSON.stringify(`${param}=${value}`)} }`;
    return `headers: { ${yamlKey(param)}: "${value}" }`;
  }
  if (need.type === 'basic') {
    return 'headers: { Authorization: "Basic ${env.API_BASIC_CREDENTIALS}" }';
  }
  return `headers: { Authorization: "Bearer ${token}" }`;
}

/** A YAML flow-map key: bare when it is a plain name, else quoted. */
export function yamlKey(name: string): string {
  return /^[A-Za-z_][\w-]*$/.test(name) ? name : JSON.stringify(name);
}
