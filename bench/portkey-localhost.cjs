// Preload for Portkey's gateway (node --require): every server the process starts listens on 127.0.0.1
// only. The gateway has no host option and would otherwise listen on all interfaces.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const callback = args.find((a) => typeof a === 'function');
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first) && !('_handle' in first)) {
    const options = { ...first, host: '127.0.0.1' };
    delete options.path;
    return listen.call(this, options, callback);
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return listen.call(this, { port: Number(first), host: '127.0.0.1' }, callback);
  }
  throw new Error('portkey-localhost.cjs: refusing a listen() it cannot pin to 127.0.0.1: ' + JSON.stringify(args));
};
