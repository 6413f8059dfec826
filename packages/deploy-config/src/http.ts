/** A target that could not be read: the check reports it (exit 2), never "in sync". */
export class UnreadableError extends Error {
  override readonly name = 'UnreadableError';
}

/** GET (or POST a form) and parse JSON, bounded by timeoutMs; any failure is an UnreadableError naming the component. */
export async function fetchJson<T>(component: string, url: string, timeoutMs: number, form?: Record<string, string>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      ...(form ? { method: 'POST', body: new URLSearchParams(form) } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
    throw new UnreadableError(`${component} at ${new URL(url).origin} could not be read (${reason}); is it running, and is the URL right?`);
  }
  if (!response.ok) throw new UnreadableError(`${component} answered ${url.replace(/\?.*/, '')} with HTTP ${response.status}; check the URL and that this ${component} version serves that API`);
  try {
    return (await response.json()) as T;
  } catch {
    throw new UnreadableError(`${component} answered ${url.replace(/\?.*/, '')} with something that is not JSON; is that URL really ${component}?`);
  }
}
