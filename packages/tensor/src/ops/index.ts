export * from './binary';
export * from './creation';
export * from './reshape';
export * from './unary';
export * from './where';
