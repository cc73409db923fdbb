import type { MessageKey } from './messages.js';
import type { JsonReport } from './report-data.js';

/**
 * Where and how the run ran, one short fact each, in the report's language (unescaped: each
 * renderer escapes them).
 */
export function environmentFacts(report: JsonReport, t: Record<MessageKey, string>): string[] {
  return [
    `loadgate ${report.tool.version}`,
    report.engine ? `${t.engine} ${report.engine}` : undefined,
    report.environment
      ? `${report.environment.cores} ${t.cores}, Node ${report.environment.node}`
      : undefined,
    report.generator
      ? `${t.generatorCpu} ${report.generator.cpuPercent}%, ${t.eventLoopDelay} ≤ ${report.generator.maxEventLoopLagMs} ms`
      : undefined,
    report.openapi
      ? `OpenAPI ${report.openapi.version} (${report.openapi.source})${t.colon} ${t.openapiStepsChecked} ${report.openapi.checked}, ${t.openapiMismatches} ${report.openapi.mismatches.length}`
      : undefined,
    report.commit ? `${t.commit} ${report.commit.slice(0, 7)}` : undefined,
    `${t.config} ${report.configDigest}`,
    `${t.target} ${report.target}`,
  ].filter((fact): fact is string => fact !== undefined);
}
