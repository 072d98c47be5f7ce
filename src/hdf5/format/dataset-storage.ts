import type { DatasetStorage, DatasetStorageInfo } from "../storage-info.js";
import type { ByteCursor } from "./byte-cursor.js";
import { readChunkIndex } from "./chunk-index/read-chunk-index.js";
import { hex } from "./errors.js";
import { decodeDataLayout } from "./messages/data-layout.js";
import { decodeDataspace, type Dataspace } from "./messages/dataspace.js";
import { decodeDatatype } from "./messages/datatype.js";
import { decodeFillValue, decodeOldFillValue } from "./messages/fill-value.js";
import { decodeFilterPipeline } from "./messages/filter-pipeline.js";
import { decodeSharedReference } from "./messages/shared-message.js";
import type { MetadataFile } from "./metadata-file.js";
import { MESSAGE_SHARED, MessageType, readObjectHeader, type HeaderMessage } from "./object-header.js";

/** Where the raw data of the dataset whose object header is at stored address `address` lives. */
export async function readDatasetStorage(file: MetadataFile, address: number): Promise<DatasetStorageInfo> {
  const messages = await readObjectHeader(file, address);
  const find = (type: number) => messages.find((m) => m.type === type);
  const required = (type: number, name: string) =>
    find(type) ?? file.fail(`object header at ${hex(file.absolute(address))} has no ${name} message: not a dataset`);

  const dataspace = decodeDataspace(await messageBody(file, required(MessageType.dataspace, "dataspace")));
  const datatype = decodeDatatype(await messageBody(file, required(MessageType.datatype, "datatype")));
  const layout = decodeDataLayout(await messageBody(file, required(MessageType.dataLayout, "data layout")));
  const pipeline = find(MessageType.filterPipeline);
  const filters = pipeline ? decodeFilterPipeline(await messageBody(file, pipeline)) : [];
  const fillMessage = find(MessageType.fillValue);
  const oldFillMessage = find(MessageType.fillValueOld);
  const fillValue = fillMessage
    ? decodeFillValue(await messageBody(file, fillMessage))
    : oldFillMessage
      ? decodeOldFillValue(await messageBody(file, oldFillMessage))
      : undefined;
  if (find(MessageType.externalFiles)) {
    file.fail(`dataset at ${hex(file.absolute(address))} keeps its data in external files, which is not supported`);
  }

  let storage: DatasetStorage;
  switch (layout.layout) {
    case "compact":
      storage = { layout: "compact", data: layout.data };
      break;
    case "contiguous": {
      const size = layout.size ?? elementCount(dataspace) * datatype.size;
      if (layout.address !== undefined) file.checkExtent(layout.address, size, "contiguous data");
      const at = layout.address === undefined ? undefined : file.absolute(layout.address);
      storage = { layout: "contiguous", address: at, size };
      break;
    }
    case "chunked": {
      if (layout.chunkShape.length !== dataspace.shape.length) {
        file.fail(
          `dataset at ${hex(file.absolute(address))}: chunk rank ${layout.chunkShape.length} ` +
            `differs from dataspace rank ${dataspace.shape.length}`,
        );
      }
      const chunks = await readChunkIndex(layout.index, {
        file,
        chunkShape: layout.chunkShape,
        chunkBytes: layout.chunkShape.reduce((a, b) => a * b, layout.elementSize),
        shape: dataspace.shape,
        maxShape: dataspace.maxShape,
      });
      storage = { layout: "chunked", chunkShape: layout.chunkShape, indexType: layout.index.type, chunks };
      break;
    }
  }
  const info: DatasetStorageInfo = {
    shape: dataspace.shape,
    maxShape: dataspace.maxShape,
    elementSize: datatype.size,
    filters,
    storage,
  };
  return fillValue ? { ...info, fillValue } : info;
}

function elementCount(dataspace: Dataspace): number {
  return dataspace.isNull ? 0 : dataspace.shape.reduce((a, b) => a * b, 1);
}

/** The message body, or for a shared message (a committed datatype) the body of the message it points to. */
async function messageBody(file: MetadataFile, message: HeaderMessage): Promise<ByteCursor> {
  if (!(message.flags & MESSAGE_SHARED)) return message.body();
  const target = decodeSharedReference(message.body());
  const shared = (await readObjectHeader(file, target)).find((m) => m.type === message.type);
  if (!shared) {
    return message.body().fail(`shared message points to ${hex(file.absolute(target))}, which has no such message`);
  }
  return shared.body();
}
