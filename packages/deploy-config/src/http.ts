/** A target that could not be read: the check reports it (exit 2), never "in sync". */
export class UnreadableError extends Error {
  override readonly name = 'UnreadableError';
}

export interface FetchOptions {
  /** POST this as a form instead of a GET. */
  form?: Record<string, string>;
  /** Sent as `Authorization: Bearer …`; never part of any message. */
  token?: string;
  /** Where the token comes from, named when the server refuses it (401/403), e.g. `LOOKOUT_GRAFANA_TOKEN`. */
  tokenSource?: string;
}

/** The URL without query or credentials. */
const pathOf = (url: string) => { const u = new URL(url); return `${u.origin}${u.pathname}`; };

async function request(component: string, url: string, timeoutMs: number, { form, token, tokenSource }: FetchOptions): Promise<Response> {
  // fetch would quote a malformed header value in its error: refuse it here, without the value.
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw new UnreadableError(`${component}: the token from ${tokenSource ?? 'the options'} is empty or holds whitespace or control characters; give the token alone`);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      ...(form ? { method: 'POST', body: new URLSearchParams(form) } : {}),
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
    throw new UnreadableError(`${component} at ${new URL(url).origin} could not be read (${reason}); is it running, and is the URL right?`);
  }
  if (response.status === 401 || response.status === 403) {
    const given = token ? `the token from ${tokenSource ?? 'the options'} was refused` : `no token was given (${tokenSource ?? 'a token option'})`;
    throw new UnreadableError(`${component} answered ${pathOf(url)} with HTTP ${response.status}: ${given}; give a valid token whose role may read it`);
  }
  return response;
}

async function bodyOf<T>(component: string, url: string, response: Response): Promise<T> {
  if (!response.ok) throw new UnreadableError(`${component} answered ${pathOf(url)} with HTTP ${response.status}; check the URL and that this ${component} version serves that API`);
  try {
    return (await response.json()) as T;
  } catch {
    throw new UnreadableError(`${component} answered ${pathOf(url)} with something that is not JSON; is that URL really ${component}?`);
  }
}

/** GET (or POST a form) and parse JSON, bounded by timeoutMs; any failure is an UnreadableError naming the component. */
export async function fetchJson<T>(component: string, url: string, timeoutMs: number, options: FetchOptions = {}): Promise<T> {
  return bodyOf<T>(component, url, await request(component, url, timeoutMs, options));
}

/** As fetchJson, but a 404 is an answer: the object does not exist there (undefined). */
export async function fetchJsonOrAbsent<T>(component: string, url: string, timeoutMs: number, options: FetchOptions = {}): Promise<T | undefined> {
  const response = await request(component, url, timeoutMs, options);
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return bodyOf<T>(component, url, response);
}
