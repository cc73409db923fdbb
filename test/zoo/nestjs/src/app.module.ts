import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppController } from './app.controller.js';
import { AuthGuard } from './auth.guard.js';
import { JWT_SECRET } from './config.js';
import { doubleCsrfProtection } from './csrf.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [
    JwtModule.register({ global: true, secret: JWT_SECRET, signOptions: { expiresIn: '1h' } }),
    ThrottlerModule.forRoot([{ ttl: 60000, limit: 3 }]),
  ],
  controllers: [AppController],
  providers: [AuthGuard, OrdersService],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(doubleCsrfProtection)
      .forRoutes({ path: 'api/comments', method: RequestMethod.POST });
  }
}
