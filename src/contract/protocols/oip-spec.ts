/**
 * The Open Inference Protocol's REST schemas (components.schemas of open_inference_rest.yaml,
 * Copyright 2023 The KServe Authors, Apache License 2.0; the examples left out), so the runner can
 * check metadata and inference responses against the protocol. test/contract.oip.test.ts checks
 * that this copy equals the published file (test/fixtures/open-inference-protocol).
 */

export const OIP_SCHEMAS = {
  metadata_server_response: {
    title: 'metadata_server_response',
    type: 'object',
    description: '',
    properties: {
      name: { type: 'string' },
      version: { type: 'string' },
      extensions: { type: 'array', items: { type: 'string' } },
    },
    required: ['name', 'version', 'extensions'],
  },
  metadata_server_error_response: {
    title: 'metadata_server_error_response',
    type: 'object',
    properties: { error: { type: 'string' } },
    required: ['error'],
  },
  metadata_model_response: {
    title: 'metadata_model_response',
    type: 'object',
    properties: {
      name: { type: 'string' },
      versions: { type: 'array', items: { type: 'string' } },
      platform: { type: 'string' },
      inputs: { type: 'array', items: { $ref: '#/components/schemas/metadata_tensor' } },
      outputs: { type: 'array', items: { $ref: '#/components/schemas/metadata_tensor' } },
      properties: { type: 'object', additionalProperties: { type: 'string' } },
    },
    required: ['name', 'platform'],
  },
  metadata_tensor: {
    title: 'metadata_tensor',
    type: 'object',
    properties: {
      name: { type: 'string' },
      datatype: { type: 'string' },
      shape: { type: 'array', items: { type: 'integer' } },
    },
    required: ['name', 'datatype', 'shape'],
  },
  metadata_model_error_response: {
    title: 'metadata_model_error_response',
    type: 'object',
    properties: { error: { type: 'string' } },
    required: ['error'],
  },
  inference_request: {
    title: 'inference_request',
    type: 'object',
    properties: {
      id: { type: 'string' },
      parameters: { $ref: '#/components/schemas/parameters' },
      inputs: { type: 'array', items: { $ref: '#/components/schemas/request_input' } },
      outputs: { type: 'array', items: { $ref: '#/components/schemas/request_output' } },
    },
    required: ['inputs'],
  },
  parameters: { title: 'parameters', type: 'object' },
  request_input: {
    title: 'request_input',
    type: 'object',
    properties: {
      name: { type: 'string' },
      shape: { type: 'array', items: { type: 'integer' } },
      datatype: { type: 'string' },
      parameters: { $ref: '#/components/schemas/parameters' },
      data: { $ref: '#/components/schemas/tensor_data' },
    },
    required: ['name', 'shape', 'datatype', 'data'],
  },
  tensor_data: {
    title: 'tensor_data',
    type: 'array',
    items: {
      anyOf: [
        { $ref: '#/components/schemas/tensor_data' },
        { type: 'number' },
        { type: 'string' },
        { type: 'boolean' },
      ],
    },
  },
  request_output: {
    title: 'request_output',
    type: 'object',
    properties: { name: { type: 'string' }, parameters: { $ref: '#/components/schemas/parameters' } },
    required: ['name'],
  },
  response_output: {
    title: 'response_output',
    type: 'object',
    properties: {
      name: { type: 'string' },
      shape: { type: 'array', items: { type: 'integer' } },
      datatype: { type: 'string' },
      parameters: { $ref: '#/components/schemas/parameters' },
      data: { $ref: '#/components/schemas/tensor_data' },
    },
    required: ['name', 'shape', 'datatype', 'data'],
  },
  inference_response: {
    title: 'inference_response',
    type: 'object',
    properties: {
      model_name: { type: 'string' },
      model_version: { type: 'string' },
      id: { type: 'string' },
      parameters: { $ref: '#/components/schemas/parameters' },
      outputs: { type: 'array', items: { $ref: '#/components/schemas/response_output' } },
    },
    required: ['model_name', 'outputs'],
  },
  inference_error_response: {
    title: 'inference_error_response',
    type: 'object',
    properties: { error: { type: 'string' } },
  },
} as const
