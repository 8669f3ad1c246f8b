/**
 * Prometheus metrics of the API: a request counter and a latency histogram per service,
 * operation and HTTP status, in a registry of its own (never prom-client's global one, so two
 * servers in one process do not collide). Other parts of cronbridge (the firing loop, task
 * counts) add their text through {@link ApiMetrics.registerSource}.
 */
import { Counter, Histogram, Registry } from 'prom-client';

/** Produces Prometheus exposition text to append to `/metrics`. */
export type MetricsSource = () => string | Promise<string>;

export class ApiMetrics {
  readonly #registry = new Registry();
  readonly #sources: MetricsSource[] = [];
  readonly #requests: Counter<'service' | 'operation' | 'status'>;
  readonly #latency: Histogram<'service' | 'operation' | 'status'>;

  constructor() {
    this.#requests = new Counter({
      name: 'cronbridge_api_requests_total',
      help: 'AWS API requests handled, by service, operation and HTTP status.',
      labelNames: ['service', 'operation', 'status'],
      registers: [this.#registry],
    });
    this.#latency = new Histogram({
      name: 'cronbridge_api_request_duration_seconds',
      help: 'Time to answer an AWS API request, by service, operation and HTTP status.',
      labelNames: ['service', 'operation', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.#registry],
    });
  }

  /** Records one answered request; `seconds` is measured by the HTTP server. */
  observe(service: string, operation: string, status: number, seconds: number): void {
    const labels = { service, operation, status: String(status) };
    this.#requests.inc(labels);
    this.#latency.observe(labels, seconds);
  }

  /** Adds a source of further metrics text; returns a function that removes it again. */
  registerSource(source: MetricsSource): () => void {
    this.#sources.push(source);
    return () => {
      const at = this.#sources.indexOf(source);
      if (at >= 0) this.#sources.splice(at, 1);
    };
  }

  /** The full exposition text: API metrics first, then each source's, newline-terminated. */
  async render(): Promise<string> {
    const parts = [await this.#registry.metrics()];
    for (const source of this.#sources) {
      const text = await source();
      if (text.trim() !== '') parts.push(text.endsWith('\n') ? text : `${text}\n`);
    }
    return parts.join('');
  }

  /** `Content-Type` of {@link render}'s text. */
  get contentType(): string {
    return this.#registry.contentType;
  }
}
