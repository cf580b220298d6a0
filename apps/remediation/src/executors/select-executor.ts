import type { RemediationSettings } from '../app/remediation-config';
import { DryRunExecutor } from './dry-run.executor';
import type { Executor } from './executor';
import { KubernetesExecutor } from './kubernetes.executor';
import { WebhookExecutor } from './webhook.executor';

/** The executor the settings name; dry run unless another was configured explicitly. */
export function selectExecutor(settings: RemediationSettings['executor']): Executor {
  switch (settings.kind) {
    case 'dry-run':
      return new DryRunExecutor();
    case 'webhook':
      return new WebhookExecutor(settings.webhook);
    case 'kubernetes':
      return new KubernetesExecutor(settings.kubernetes, settings.webhook ? new WebhookExecutor(settings.webhook) : new DryRunExecutor());
    default: {
      const _exhaustive: never = settings;
      return _exhaustive;
    }
  }
}
