export * from './baseUrl';
export * from './client';
export * from './errors';
export * from './json';
export * from './models';
export * from './pager';
export * from './redact';
