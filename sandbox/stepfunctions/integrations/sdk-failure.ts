import { randomUUID } from 'node:crypto';
import { TaskFailure } from '../task-errors.ts';

interface ServiceNaming {
  /** The error prefix Step Functions uses: `SQS`, `DynamoDB`, `EventBridge`. */
  prefix: string;
  /** The service name in the Java SDK's messages, e.g. `AmazonDynamoDBv2`. */
  javaServiceName: string;
  /** The Java SDK's catch-all exception for errors its model does not name, e.g. `AmazonDynamoDBException`. */
  genericException: string;
  /** The SDK v3 base class: an error that is exactly this class was not modelled. */
  serviceExceptionClass: abstract new (
    ...args: never[]
  ) => Error;
}

/**
 * Turns an SDK v3 error into the error Step Functions raises. Step Functions calls services with
 * the Java SDK, so modelled errors are `<Prefix>.<Name>Exception` (`DynamoDB.ConditionalCheckFailedException`,
 * `SQS.QueueDoesNotExistException`), unmodelled ones (`ValidationException`) the service's generic
 * exception, and transport failures `<Prefix>.SdkClientException`.
 */
export function sdkFailure(error: unknown, naming: ServiceNaming): TaskFailure {
  const requestId = randomUUID();
  if (!(error instanceof naming.serviceExceptionClass)) {
    const message = error instanceof Error ? error.message : String(error);
    return new TaskFailure(
      `${naming.prefix}.SdkClientException`,
      `Unable to execute HTTP request: ${message}`,
    );
  }
  const serviceError = error as Error & { $metadata?: { httpStatusCode?: number } };
  const modelled = Object.getPrototypeOf(serviceError) !== naming.serviceExceptionClass.prototype;
  const code = serviceError.name;
  const exceptionName = modelled
    ? code.endsWith('Exception')
      ? code
      : `${code}Exception`
    : naming.genericException;
  const status = serviceError.$metadata?.httpStatusCode ?? 400;
  return new TaskFailure(
    `${naming.prefix}.${exceptionName}`,
    `${serviceError.message} (Service: ${naming.javaServiceName}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`,
  );
}
