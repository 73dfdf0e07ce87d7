import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from './processes.js';

export interface CataloguedMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  labels: string[];
  help: string;
}

export interface MetricCatalogue {
  metrics: CataloguedMetric[];
  runtimeMetricPrefixes: string[];
}

/** deploy/prometheus/metric-catalogue.yaml: what every process serves at /metrics. */
export const metricCatalogue = (): MetricCatalogue =>
  parse(readFileSync(repoPath('deploy/prometheus/metric-catalogue.yaml'), 'utf8')) as MetricCatalogue;

/** Labels Prometheus adds to every scraped series (compose static labels, PodMonitor targets). */
export const targetLabels = ['job', 'instance', 'app', 'namespace', 'pod', 'container', 'endpoint'];

export interface MetricReference {
  /** As written, e.g. gaji_graphql_request_duration_seconds_bucket. */
  series: string;
  labels: string[];
}

/**
 * The series a PromQL expression selects, with the label names its matchers use. Enough for
 * checking names against the catalogue; promtool checks that the expression parses at all.
 */
export function metricReferences(expr: string): MetricReference[] {
  const selectors = /\b((?:gaji|process|nodejs)_[a-z0-9_]+|up)\b(\{[^}]*\})?/g;
  return [...expr.matchAll(selectors)].map(([, series, matchers]) => ({
    series: series!,
    labels: [...(matchers ?? '').matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)].map(([, label]) => label!),
  }));
}

/** Label names an expression aggregates by: `by (a, b)` and `without (c)`. */
export function groupingLabels(expr: string): string[] {
  return [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap(([, labels]) =>
    labels!
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean),
  );
}

/** The catalogued metric a series belongs to (a histogram's _bucket, _count and _sum included). */
export function cataloguedMetricOf(series: string, catalogue: MetricCatalogue): CataloguedMetric | undefined {
  return catalogue.metrics.find(
    (metric) =>
      metric.name === series ||
      (metric.type === 'histogram' &&
        ['_bucket', '_count', '_sum'].some((suffix) => series === metric.name + suffix)),
  );
}
