// Reading the live Prometheus of a test stack: instant queries, as the end-to-end tests assert on them.
import type { AlertRecorder } from './alert-recorder.test-support.ts';
import type { TestStack } from './testing.ts';

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query; throws with Prometheus's error for bad PromQL. */
export async function promql(stack: TestStack, query: string): Promise<Sample[]> {
  const body = (await (await fetch(stack.url('prometheus', `/api/v1/query?${new URLSearchParams({ query })}`))).json()) as { status: string; data: { result: Sample[] }; error?: string };
  if (body.status !== 'success') throw new Error(`PromQL ${query}: ${body.error}`);
  return body.data.result;
}

/** What a timed-out wait shows: the notifications recorded so far, and the tail of one component's output. */
export function recordedContext(stack: TestStack, recorder: AlertRecorder, component: string): () => string {
  return () => `recorded: ${recorder.notifications.map((n) => `${n.receiver}: ${n.text.split('\n')[0]}`).join(' | ') || 'nothing'}\n--- ${component}\n${stack.get(component).process.tail(8)}`;
}
