/** An answer of the API: status, parsed body (JSON when it is JSON) and the ETag. */
export interface Answer<T = unknown> {
  status: number;
  body: T;
  etag: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly answer: Answer,
  ) {
    const body = answer.body as { detail?: string; code?: string } | null | undefined;
    const detail = body?.detail ?? body?.code ?? JSON.stringify(answer.body)?.slice(0, 200);
    super(`${method} ${path} → ${answer.status} ${detail ?? ''}`.trim());
  }
}

/**
 * The quickstart talks to the api like any client does: the public HTTP API, bearer tokens, If-Match.
 * A body that is not JSON (a proxy's error page, an empty answer) is kept as text, never a parse error.
 */
export class ApiClient {
  constructor(
    readonly base: string,
    private readonly token?: string,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.base, token);
  }

  async login(username: string, password: string): Promise<ApiClient> {
    const answer = await this.send('POST', '/api/v1/auth/login', { body: { username, password } });
    const token = (answer.body as { accessToken?: unknown } | null)?.accessToken;
    if (answer.status !== 200 || typeof token !== 'string') {
      throw new ApiError('POST', '/api/v1/auth/login', answer);
    }
    return this.as(token);
  }

  get<T = unknown>(path: string): Promise<Answer<T>> {
    return this.expect<T>('GET', path, {});
  }

  /** A command: JSON body (or raw with `type`), If-Match when given; throws unless 2xx. */
  command<T = unknown>(
    method: 'POST' | 'PUT',
    path: string,
    body?: unknown,
    options: { ifMatch?: string | null; type?: string } = {},
  ): Promise<Answer<T>> {
    return this.expect<T>(method, path, { body, ...options });
  }

  /** The body is what the route answers: the caller names its shape (`T`). */
  private async expect<T>(method: string, path: string, options: SendOptions): Promise<Answer<T>> {
    const answer = await this.send(method, path, options);
    if (answer.status < 200 || answer.status > 299) throw new ApiError(method, path, answer);
    return answer as Answer<T>;
  }

  async send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (options.ifMatch) headers['If-Match'] = options.ifMatch;
    let body: string | Buffer | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.type ?? 'application/json';
      body = options.type ? (options.body as Buffer) : JSON.stringify(options.body);
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, etag: res.headers.get('etag') };
  }
}

interface SendOptions {
  body?: unknown;
  ifMatch?: string | null;
  type?: string;
}
