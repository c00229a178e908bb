#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "services/common/pseudonymizer.h"

namespace ips {

// Event payloads carry no identifier outside reporting's pseudonym space
// (ips/common/v1/event_options.proto): every string field declares either
// `pseudonym_of` (a record or staff id, published as its pseudonym) or
// `closed_value` (a value from a closed set). The outbox runs both
// functions on every payload it stores, so an event type added later cannot
// publish a raw id or free text.

// OK when every string field of `type`, and of the messages it holds,
// declares one of the two options; otherwise INTERNAL naming the field.
absl::Status CheckPublishable(const google::protobuf::Descriptor& type);

// Replaces each non-empty `pseudonym_of` field of `payload` (in nested
// messages and repeated fields too) by the record's pseudonym.
void PseudonymiseIds(google::protobuf::Message& payload, const Pseudonymizer& pseudonymizer);

}  // namespace ips
