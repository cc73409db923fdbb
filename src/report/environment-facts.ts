import type { JsonReport } from './report-data.js';

/** Where and how the run ran, one short fact each (unescaped: each renderer escapes them). */
export function environmentFacts(report: JsonReport): string[] {
  return [
    `loadgate ${report.tool.version}`,
    report.engine ? `engine ${report.engine}` : undefined,
    report.environment
      ? `${report.environment.cores} cores, Node ${report.environment.node}`
      : undefined,
    report.generator
      ? `generator CPU ${report.generator.cpuPercent}%, event-loop delay ≤ ${report.generator.maxEventLoopLagMs} ms`
      : undefined,
    report.commit ? `commit ${report.commit.slice(0, 7)}` : undefined,
    `config ${report.configDigest}`,
    `target ${report.target}`,
  ].filter((fact): fact is string => fact !== undefined);
}
