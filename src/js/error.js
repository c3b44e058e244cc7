// The one error type the SDK rejects with, whether the browser (the core run
// locally) or the server found the problem.
export class SamlkitError extends Error {
  constructor(code, message, statusCode, requestId, issues, connection) {
    super(message);
    this.name = 'SamlkitError';
    this.code = code;
    this.status_code = statusCode;
    this.request_id = requestId;
    this.issues = issues;
    if (connection !== undefined && connection !== null) this.connection = connection;
  }
}
