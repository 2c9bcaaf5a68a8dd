// What a browser app imports from the contracts at run time: words, roles, problem codes and clinic time, none of
// which pulls in zod. Its types (request and response bodies, endpoints) come from the whole index, as types only.
export * from './roles';
export * from './vocabulary';
export * from './http/problem-codes';
export * from './clinic-time';
