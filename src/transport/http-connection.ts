import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Deadlines } from './deadlines.js';
import type { Cancellation, PreparedRequest } from './exchange.js';
import { ExchangeOutcome, type OutcomeCallback } from './exchange-outcome.js';
import { describeNetworkError } from './network-error.js';

/**
 * One keep-alive connection of one virtual user through undici (https targets and multipart
 * bodies; plain HTTP goes over `RawConnection`), one request at a time. It is its own undici
 * dispatch handler and its own outcome, reused for every request: no stream, no handler, no
 * outcome and no abort listener is allocated per request.
 */
export class HttpConnection extends ExchangeOutcome implements Dispatcher.DispatchHandler {
  private request: PreparedRequest | undefined;
  private controller: Dispatcher.DispatchController | undefined;

  constructor(
    private readonly dispatcher: Dispatcher,
    stage: Cancellation,
    deadlines?: Deadlines,
  ) {
    super(stage, deadlines);
  }

  /**
   * Sends `request` (its headersTimeout/bodyTimeout are the step's timeout; `startedAt`, in
   * performance.now() ms, starts the whole-request deadline); `done` is called with the outcome
   * (never before `send` returned).
   */
  send(
    request: PreparedRequest,
    keepBytes: (status: number) => number,
    startedAt: number,
    done: OutcomeCallback,
  ): void {
    this.request = request;
    this.exchange(request, keepBytes, startedAt, done);
  }

  protected dispatch(): void {
    try {
      this.dispatcher.dispatch(this.request as Dispatcher.DispatchOptions, this);
    } catch (error) {
      this.onResponseError(undefined, error as Error);
    }
  }

  expire(): void {
    const controller = this.controller;
    if (!controller) return; // still connecting: undici's connect timeout applies
    this.deadline = Infinity;
    controller.abort(this.timeoutError());
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
    this.bodyReceived(chunk, 0, chunk.length);
  }

  onResponseEnd(): void {
    if (!this.inFlight) return;
    this.bodyEnded();
    this.settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (!this.inFlight) return;
    this.failedWith(describeNetworkError(error, this.timeoutMs, this.status), this.stage.cancelled);
    this.settle();
  }

  protected override settle(): void {
    this.request = undefined;
    this.controller = undefined;
    super.settle();
  }
}
