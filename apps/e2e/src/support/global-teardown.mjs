import { stopServices } from '../../../../tools/stack/stack.mjs';

export default async function globalTeardown() {
  const stack = globalThis.__E2E_STACK__;
  if (!stack) return;
  await stopServices(stack.services);
  const { dropSchema } = await import('./migrate.mjs');
  if (!process.env.E2E_KEEP_SCHEMA) await dropSchema(stack.adminUrl, stack.schema);
}
