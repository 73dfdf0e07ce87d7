/**
 * npm run deploy:rules — writes the PrometheusRule that Kubernetes (prometheus-operator) loads,
 * from the rule file Prometheus loads in compose (deploy/prometheus/rules/gaji-alerts.rules.yml):
 * one source of rules, two wrappers. test/deploy fails while the written file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as prettier from 'prettier';
import { parse, stringify } from 'yaml';

const root = resolve(import.meta.dirname, '..');
export const ruleFile = resolve(root, 'deploy/prometheus/rules/gaji-alerts.rules.yml');
export const prometheusRuleFile = resolve(root, 'deploy/k8s/base/monitoring/gaji-alerts.prometheusrule.yaml');

export function prometheusRuleFrom(rulesYaml: string): object {
  const { groups } = parse(rulesYaml) as { groups: unknown[] };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'gaji-alerts', labels: { 'app.kubernetes.io/part-of': 'gaji-market' } },
    spec: { groups },
  };
}

if (import.meta.filename === process.argv[1]) {
  const header =
    '# Written by `npm run deploy:rules` from deploy/prometheus/rules/gaji-alerts.rules.yml: edit that.\n';
  const text = header + stringify(prometheusRuleFrom(readFileSync(ruleFile, 'utf8')), { lineWidth: 0 });
  const options = await prettier.resolveConfig(prometheusRuleFile);
  writeFileSync(
    prometheusRuleFile,
    await prettier.format(text, { ...options, filepath: prometheusRuleFile }),
  );
  console.log(`wrote ${prometheusRuleFile}`);
}
