import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  cataloguedMetricOf,
  groupingLabels,
  metricCatalogue,
  metricReferences,
  targetLabels,
} from './support/metric-catalogue.js';
import { repoPath } from './support/processes.js';

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rulesPath = repoPath('deploy/prometheus/rules/gaji-alerts.rules.yml');
const rules = (parse(readFileSync(rulesPath, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (group) => group.rules,
);
const alerts = rules.filter((rule) => rule.alert);

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource: { uid: string } }[];
}
const dashboard = JSON.parse(
  readFileSync(repoPath('deploy/grafana/dashboards/gaji-market.dashboard.json'), 'utf8'),
) as { panels: Panel[] };
const panelExpressions = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => target.expr),
);
const operationsGuide = readFileSync(repoPath('docs/operations.md'), 'utf8');

function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile('promtool', args, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
        output: stdout + stderr,
      }),
    ),
  );
}
const promtoolInstalled = await promtool('--version').then((result) => result.code === 0);
if (!promtoolInstalled) {
  console.warn(
    '[deploy] promtool is not installed (Debian package `prometheus`): the rule checks are skipped',
  );
}

describe.skipIf(!promtoolInstalled)('promtool', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gaji-promtool-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('accepts the alert and recording rules', async () => {
    const result = await promtool('check', 'rules', rulesPath);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('passes the rules’ unit tests on recorded series', async () => {
    const result = await promtool('test', 'rules', repoPath('deploy/prometheus/tests/gaji-alerts.test.yml'));
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('accepts the Prometheus configuration of compose, rule files included', async () => {
    const result = await promtool('check', 'config', repoPath('deploy/prometheus/prometheus.yml'));
    expect(result.output).toContain('SUCCESS: 1 rule files found');
    expect(result.code).toBe(0);
  });

  it('parses every expression of the Grafana dashboard as PromQL', async () => {
    // Grafana's variables, replaced by values of the kind Grafana puts there.
    const asPromQL = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$service', '.*');
    const file = join(scratch, 'dashboard-expressions.rules.yml');
    writeFileSync(
      file,
      stringify({
        groups: [
          {
            name: 'dashboard',
            rules: panelExpressions.map((expr, index) => ({
              record: `dashboard:panel_${index}`,
              expr: asPromQL(expr),
            })),
          },
        ],
      }),
    );
    const result = await promtool('check', 'rules', file);
    expect(result.output).toContain(`SUCCESS: ${panelExpressions.length} rules found`);
    expect(result.code).toBe(0);
  });
});

describe('the alert rules', () => {
  const tests = parse(readFileSync(repoPath('deploy/prometheus/tests/gaji-alerts.test.yml'), 'utf8')) as {
    tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
  };
  const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);

  it.each(alerts.map((alert) => alert.alert!))(
    '%s has a severity, a summary, a runbook section and a test where it fires and one where it does not',
    (name) => {
      const alert = alerts.find((candidate) => candidate.alert === name)!;
      expect(['critical', 'warning']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary).toBeTruthy();
      expect(alert.annotations?.runbook_url).toBe(`docs/operations.md#${name.toLowerCase()}`);
      expect(operationsGuide).toMatch(new RegExp(`^### ${name}$`, 'm'));
      const ofThisAlert = cases.filter((test) => test.alertname === name);
      expect(ofThisAlert.some((test) => test.exp_alerts.length > 0)).toBe(true);
      expect(ofThisAlert.some((test) => test.exp_alerts.length === 0)).toBe(true);
    },
  );

  it('cover consumer lag, outbox age, open breakers, error rate, p99 latency and targets down', () => {
    const watched = new Set(
      alerts.flatMap((alert) => resolvedReferences(alert.expr).map((reference) => reference.series)),
    );
    for (const series of [
      'gaji_consumer_lag_messages',
      'gaji_outbox_oldest_unpublished_age_seconds',
      'gaji_breaker_state',
      'gaji_graphql_request_duration_seconds_count',
      'gaji_graphql_request_duration_seconds_bucket',
      'up',
    ]) {
      expect(watched, series).toContain(series);
    }
  });
});

/** An expression's metric references, through the recording rules it uses. */
function resolvedReferences(expr: string): ReturnType<typeof metricReferences> {
  const recorded = rules.filter((rule) => rule.record && expr.includes(rule.record));
  return [...metricReferences(expr), ...recorded.flatMap((rule) => resolvedReferences(rule.expr))];
}

describe('the metric catalogue', () => {
  const catalogue = metricCatalogue();
  const expressions = [
    ...rules.map((rule) => ({ where: rule.alert ?? rule.record!, expr: rule.expr })),
    ...panelExpressions.map((expr) => ({ where: 'dashboard', expr })),
  ];

  it('names every metric, and every label, the rules and the dashboard select', () => {
    for (const { where, expr } of expressions) {
      for (const reference of metricReferences(expr)) {
        if (reference.series === 'up') continue;
        if (catalogue.runtimeMetricPrefixes.some((prefix) => reference.series.startsWith(prefix))) continue;
        const metric = cataloguedMetricOf(reference.series, catalogue);
        expect(metric, `${where}: ${reference.series}`).toBeDefined();
        const known = [
          ...metric!.labels,
          'service',
          ...(metric!.type === 'histogram' ? ['le'] : []),
          ...targetLabels,
        ];
        expect(
          reference.labels.filter((label) => !known.includes(label)),
          `${where}: ${expr}`,
        ).toEqual([]);
      }
    }
  });

  it('knows every label the rules and the dashboard aggregate by', () => {
    const labels = new Set([
      'service',
      'le',
      ...targetLabels,
      ...catalogue.metrics.flatMap((metric) => metric.labels),
    ]);
    for (const { where, expr } of expressions) {
      expect(
        groupingLabels(expr).filter((label) => !labels.has(label)),
        `${where}: ${expr}`,
      ).toEqual([]);
    }
  });

  it('is shown on the dashboard, every metric of it', () => {
    const shown = new Set(
      panelExpressions.flatMap((expr) =>
        metricReferences(expr).flatMap(
          (reference) => cataloguedMetricOf(reference.series, catalogue)?.name ?? [],
        ),
      ),
    );
    expect(catalogue.metrics.map((metric) => metric.name).filter((name) => !shown.has(name))).toEqual([]);
  });

  it('is listed in docs/operations.md, every metric with its labels', () => {
    for (const metric of catalogue.metrics) {
      const row = operationsGuide.split('\n').find((line) => line.startsWith(`| \`${metric.name}\``));
      expect(row, metric.name).toBeDefined();
      for (const label of metric.labels) expect(row, `${metric.name} {${label}}`).toContain(`\`${label}\``);
    }
  });

  it('is read through the dashboard’s data source variable, never a fixed data source', () => {
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      for (const target of panel.targets ?? []) expect(target.datasource.uid).toBe('${datasource}');
    }
  });
});
