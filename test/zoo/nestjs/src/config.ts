import { join } from 'node:path';

export const JWT_SECRET = process.env.ZOO_JWT_SECRET ?? 'zoo-secret-0123456789abcdef0123456789';
export const DATA_DIR = process.env.ZOO_DATA_DIR ?? '.';
export const USERS: Record<string, string> = { demo: 'demo-password' };
export const ORDERS_DB = join(DATA_DIR, 'nestjs-orders.db');
