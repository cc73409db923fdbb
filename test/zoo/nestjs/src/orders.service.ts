import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DatabaseSync } from 'node:sqlite';
import { ORDERS_DB } from './config.js';

// One connection holds a write lock for the life of the app (BEGIN EXCLUSIVE, never committed);
// the other one (busy timeout 100 ms) is the one orders are written through.
@Injectable()
export class OrdersService implements OnApplicationShutdown {
  private readonly locker = new DatabaseSync(ORDERS_DB);
  private readonly db = new DatabaseSync(ORDERS_DB, { timeout: 100 });

  constructor() {
    this.locker.exec(
      'CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT, created_at TEXT)',
    );
    this.locker.exec('BEGIN EXCLUSIVE');
  }

  create(item: string): number {
    const stmt = this.db.prepare('INSERT INTO orders (item, created_at) VALUES (?, ?)');
    return Number(stmt.run(item, new Date().toISOString()).lastInsertRowid);
  }

  onApplicationShutdown() {
    this.db.close();
    this.locker.close();
  }
}
