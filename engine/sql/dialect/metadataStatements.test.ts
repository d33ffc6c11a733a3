// Tests for the DESCRIBE HISTORY / DETAIL row builders: Spark's column names, order and types, run through real DuckDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { arrowIpc, arrowRows, resultToArrow } from '../arrow'
import { DuckdbSession } from '../duckdbSession'
import { describeHistorySql } from './metadataStatements'

describe('describeHistorySql', () => {
  let session: DuckdbSession
  beforeAll(async () => {
    session = await DuckdbSession.create()
  })
  afterAll(() => session.close())

  it("has Spark's columns in Spark's order, maps as maps and job/notebook as structs", async () => {
    const sql = describeHistorySql([
      { version: 0, timestamp: Date.UTC(2024, 0, 1), operation: 'CREATE TABLE', operationParameters: { description: null, partitionBy: ['a'] } },
      {
        version: 1, timestamp: Date.UTC(2024, 0, 2), operation: 'WRITE', operationParameters: { mode: 'Append' }, operationMetrics: { numFiles: 2 },
        userId: '42', userName: 'ann@example.com', clusterId: 'c-1', job: { jobId: '7', runId: 8 }, notebook: { notebookId: 'nb' },
        readVersion: 0, isolationLevel: 'WriteSerializable', isBlindAppend: true, userMetadata: 'backfill', engineInfo: 'Spark'
      }
    ])
    const result = resultToArrow(await session.connection.runAndReadAll(sql))
    expect(result.columns).toEqual([
      { name: 'version', type: 'bigint' }, { name: 'timestamp', type: 'timestamp' }, { name: 'userId', type: 'string' },
      { name: 'userName', type: 'string' }, { name: 'operation', type: 'string' }, { name: 'operationParameters', type: 'map<string,string>' },
      { name: 'job', type: 'struct<jobId:string,jobName:string,jobRunId:string,runId:string,jobOwnerId:string,triggerType:string>' },
      { name: 'notebook', type: 'struct<notebookId:string>' }, { name: 'clusterId', type: 'string' }, { name: 'readVersion', type: 'bigint' },
      { name: 'isolationLevel', type: 'string' }, { name: 'isBlindAppend', type: 'boolean' }, { name: 'operationMetrics', type: 'map<string,string>' },
      { name: 'userMetadata', type: 'string' }, { name: 'engineInfo', type: 'string' }
    ])
    const [newest, oldest] = arrowRows(arrowIpc(result.table))
    expect(newest).toEqual({
      version: 1, timestamp: '2024-01-02T00:00:00.000Z', userId: '42', userName: 'ann@example.com', operation: 'WRITE',
      operationParameters: { mode: 'Append' }, job: { jobId: '7', jobName: null, jobRunId: null, runId: '8', jobOwnerId: null, triggerType: null },
      notebook: { notebookId: 'nb' }, clusterId: 'c-1', readVersion: 0, isolationLevel: 'WriteSerializable', isBlindAppend: true,
      operationMetrics: { numFiles: '2' }, userMetadata: 'backfill', engineInfo: 'Spark'
    })
    expect(oldest).toMatchObject({ version: 0, operationParameters: { description: null, partitionBy: '["a"]' }, job: null, notebook: null, userId: null })
  })
})
