import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthGuard } from './auth.guard.js';
import { USERS } from './config.js';
import { CredentialsDto } from './credentials.dto.js';
import { generateCsrfToken } from './csrf.js';
import { OrdersService } from './orders.service.js';

@Controller()
export class AppController {
  constructor(
    private jwtService: JwtService,
    private orders: OrdersService,
  ) {}

  // Happy path only: a wrong password is the docs' AuthService.signIn refusal.
  private async signIn({ username, password }: CredentialsDto): Promise<string> {
    if (USERS[username] !== password) {
      throw new UnauthorizedException();
    }
    return this.jwtService.signAsync({ sub: username });
  }

  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('api/fast')
  fast() {
    return { ok: true };
  }

  @Post('api/login')
  @HttpCode(200)
  async login(@Body() credentials: CredentialsDto) {
    return { token: await this.signIn(credentials) };
  }

  // Form fields: Nest's express platform parses urlencoded bodies (and JSON) by default.
  @Post('api/token')
  @HttpCode(200)
  async token(@Body() credentials: CredentialsDto) {
    return { access_token: await this.signIn(credentials), token_type: 'bearer' };
  }

  @UseGuards(AuthGuard)
  @Get('api/items')
  items() {
    return [
      { id: 1, name: 'item 1' },
      { id: 2, name: 'item 2' },
      { id: 3, name: 'item 3' },
    ];
  }

  @Get('api/csrf-token')
  csrfToken(@Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
    return { csrfToken: generateCsrfToken(req, res) };
  }

  // Protected by csrf-csrf's doubleCsrfProtection middleware (bound in AppModule).
  @Post('api/comments')
  comments(@Body() body: unknown) {
    return { id: 1, body: body ?? null };
  }

  @UseGuards(ThrottlerGuard)
  @Get('api/limited')
  limited() {
    return { ok: true };
  }

  @Get('api/boom')
  boom(@Query('settings') settings: { theme: string }) {
    return { theme: settings.theme }; // TypeError: no such query parameter
  }

  @Post('api/orders')
  createOrder() {
    return { id: this.orders.create('widget') };
  }

  @Get('api/slow')
  async slow() {
    await sleep(300);
    return { ok: true, slept_ms: 300 };
  }

  @Get('api/cpu')
  cpu() {
    const start = process.hrtime.bigint();
    let digest = 'zoo';
    while (process.hrtime.bigint() - start < 20_000_000n) {
      for (let i = 0; i < 100; i++) digest = createHash('sha256').update(digest).digest('hex');
    }
    return { ok: true, digest };
  }
}
