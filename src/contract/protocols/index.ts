/** The contract runner's protocol adapters, by name. */
import type { ProtocolName } from '../types.ts'
import { json } from './json.ts'
import { kserveV1 } from './kserve-v1.ts'
import { mlflow } from './mlflow.ts'
import { oip } from './oip.ts'
import type { Protocol } from './types.ts'

export const protocols: Record<ProtocolName, Protocol> = { oip, 'kserve-v1': kserveV1, mlflow, json }
export type { Decoded, Protocol, SendRow } from './types.ts'
