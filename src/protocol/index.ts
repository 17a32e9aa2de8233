// The typed protocol between the extension and its webviews: messages, DTOs, their runtime checks,
// and the pure helpers both sides use to diff, patch and decode.
export * from './addressSpaces';
export * from './base64';
export * from './dto';
export * from './memoryWindow';
export * from './messages';
export * from './pagingEntry';
export * from './schema';
export * from './stateDiff';
export * from './timeline';
export * from './things';
