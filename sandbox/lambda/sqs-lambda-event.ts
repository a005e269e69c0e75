// The event Lambda hands a function for a batch of SQS messages, built field for field as AWS does.
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';

export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, LambdaMessageAttribute>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** Lambda spells message attributes in lower camel case and always lists both list fields. */
export interface LambdaMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export function buildSqsEvent(messages: readonly Message[], queueArn: string): { Records: SqsEventRecord[] } {
  const awsRegion = queueArn.split(':')[3] ?? '';
  return {
    Records: messages.map((message) => {
      const record: SqsEventRecord = {
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: { ...message.Attributes },
        messageAttributes: mapMessageAttributes(message.MessageAttributes ?? {}),
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion,
      };
      if (message.MD5OfMessageAttributes !== undefined)
        record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
      return record;
    }),
  };
}

function mapMessageAttributes(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, LambdaMessageAttribute> {
  const mapped: Record<string, LambdaMessageAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const attribute: LambdaMessageAttribute = {
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map(toBase64),
      dataType: value.DataType ?? 'String',
    };
    if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
    if (value.BinaryValue !== undefined) attribute.binaryValue = toBase64(value.BinaryValue);
    mapped[name] = attribute;
  }
  return mapped;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
