// Diagnosis zoo: NestJS 12 on @nestjs/platform-express (see ../../README.md for the contract).
// Idiomatic Nest: a class-validator DTO with the global ValidationPipe, @nestjs/jwt with the
// AuthGuard of the docs' "Authentication" page, @nestjs/throttler's ThrottlerGuard, csrf-csrf as
// middleware (docs' "CSRF Protection" page), and Nest's default exception filter for errors.
// Run: ZOO_DATA_DIR=... ZOO_JWT_SECRET=... PORT=... node24 test/zoo/nestjs/start.mjs
// (start.mjs compiles this folder with the repository's TypeScript into node_modules/.cache/, then
// imports the compiled main.js).
import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(cookieParser());
  app.useGlobalPipes(new ValidationPipe());
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}
void bootstrap();
