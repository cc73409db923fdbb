import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { RequestTimeoutError, type Deadlines, type Expirable } from './deadlines.js';
import type { Cancellation, HttpOutcome, PreparedRequest } from './exchange.js';
import { ExchangeOutcome } from './exchange-outcome.js';
import { describeNetworkError } from './network-error.js';

/**
 * One keep-alive connection of one virtual user through undici (https targets and multipart
 * bodies; plain HTTP goes over `RawConnection`), one request at a time. It is its own undici
 * dispatch handler and its own outcome, reused for every request: no stream, no handler, no
 * outcome and no abort listener is allocated per request. `send` never rejects.
 */
export class HttpConnection
  extends ExchangeOutcome
  implements Dispatcher.DispatchHandler, Expirable
{
  /** When the request in flight times out as a whole (performance.now() ms); Infinity when idle. */
  deadline = Infinity;

  private request: PreparedRequest | undefined;
  private timeoutMs = 0;
  private controller: Dispatcher.DispatchController | undefined;
  private resolve: ((outcome: HttpOutcome) => void) | undefined;
  private readonly start = (resolve: (outcome: HttpOutcome) => void) => {
    this.resolve = resolve;
    try {
      this.dispatcher.dispatch(this.request as Dispatcher.DispatchOptions, this);
    } catch (error) {
      this.onResponseError(undefined, error as Error);
    }
  };

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly stage: Cancellation,
    deadlines?: Deadlines,
  ) {
    super();
    deadlines?.add(this);
  }

  /**
   * Sends `request` (its headersTimeout/bodyTimeout are the step's timeout; `startedAt`, in
   * performance.now() ms, starts the whole-request deadline).
   */
  send(
    request: PreparedRequest,
    keepBytes: (status: number) => number,
    startedAt: number,
  ): Promise<HttpOutcome> {
    this.begin(request, keepBytes);
    this.request = request;
    this.timeoutMs = request.headersTimeout;
    this.deadline = startedAt + request.headersTimeout;
    return new Promise(this.start);
  }

  /** Called by the stage's deadline sweep once `deadline` has passed. */
  expire(): void {
    const controller = this.controller;
    if (!controller) return; // still connecting: undici's connect timeout applies
    this.deadline = Infinity;
    controller.abort(new RequestTimeoutError(`timeout after ${this.timeoutMs / 1000}s`));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // informational: the real response follows
    this.responseStarted(statusCode, headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bodyReceived(chunk);
  }

  onResponseEnd(): void {
    if (!this.resolve) return;
    this.bodyEnded();
    this.settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (!this.resolve) return;
    this.failedWith(describeNetworkError(error, this.timeoutMs, this.status), this.stage.cancelled);
    this.settle();
  }

  private settle(): void {
    const resolve = this.resolve;
    if (!resolve) return;
    this.resolve = undefined;
    this.request = undefined;
    this.controller = undefined;
    this.deadline = Infinity;
    resolve(this);
  }
}
