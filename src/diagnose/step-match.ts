import type { Step } from '../config/schema.js';
import type { HttpSample } from '../model/run-result.js';

/** What each body key of loadgate.yml sends as its Content-Type. */
const MEDIA_TYPE: Record<string, RegExp> = {
  json: /^application\/(?:[\w.+-]+\+)?json\b/i,
  form: /^application\/x-www-form-urlencoded\b/i,
  multipart: /^multipart\/form-data\b/i,
};

/**
 * Among scenario steps that share one name (the engines count them on one line of statistics),
 * the one a failure's sample came from: the step whose method, path, body type and JSON fields
 * match the request as it was sent, the first on a tie (steps that send the same request).
 * Without a sample, the first. Pure.
 */
export function stepOfSample<T extends { step: Step }>(
  candidates: T[],
  sample: HttpSample | undefined,
): T | undefined {
  if (candidates.length <= 1 || !sample) return candidates[0];
  let best = candidates[0];
  let bestScore = -1;
  for (const candidate of candidates) {
    const score = likeness(candidate.step, sample.request);
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

/** How many of method, path, body type and JSON fields the step shares with the request. */
function likeness(step: Step, sent: HttpSample['request']): number {
  const { request } = step;
  const contentType =
    Object.entries(sent.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const kind = request.body?.kind;
  return [
    request.method.toUpperCase() === sent.method.toUpperCase(),
    pathPattern(request.url).test(pathOf(sent.url)),
    kind === undefined ? contentType === '' : (MEDIA_TYPE[kind]?.test(contentType) ?? true),
    request.body?.kind === 'json' && sameFields(request.body.value, sent.body),
  ].filter(Boolean).length;
}

/** The path of a URL or of a path with a query: `/items/3`. */
function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/i, '').replace(/[?#].*$/, '') || '/';
}

/** A step's URL template as a pattern of paths: `${…}` stands for one path segment or part. */
function pathPattern(template: string): RegExp {
  const parts = pathOf(template).split(/\$\{[^}]*\}/);
  const escaped = parts.map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]*')}$`);
}

/** True when the JSON body sent has the step's top-level fields, no more, no fewer. */
function sameFields(value: unknown, body: string | undefined): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !body) return false;
  try {
    const sent: unknown = JSON.parse(body);
    if (!sent || typeof sent !== 'object' || Array.isArray(sent)) return false;
    const ours = Object.keys(value).sort().join('\n');
    return ours === Object.keys(sent).sort().join('\n');
  } catch {
    return false;
  }
}
