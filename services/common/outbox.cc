#include "services/common/outbox.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/descriptor.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "absl/strings/escaping.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/event_payload.h"
#include "services/common/json_log.h"
#include "services/common/prepared.h"

namespace ips {

Outbox::Outbox(Database& db, std::string source, const Pseudonymizer& pseudonymizer,
               absl::Duration poll_interval)
    : db_(db), source_(std::move(source)), pseudonymizer_(pseudonymizer), poll_interval_(poll_interval) {
  delivery_ = std::thread([this] { DeliveryLoop(); });
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  delivery_.join();
}

int64_t Outbox::Append(soci::session& s, const std::string& citizen_id,
                       const google::protobuf::Message& payload) {
  // No identifier leaves in an event (event_payload.h): a payload type that
  // does not say how each string field is published is a programming error
  // the write must not survive.
  if (auto publishable = CheckPublishable(*payload.GetDescriptor()); !publishable.ok()) {
    LogError("event_not_publishable", {{"type", payload.GetDescriptor()->full_name()}});
    throw std::logic_error(std::string(publishable.message()));
  }
  std::unique_ptr<google::protobuf::Message> published(payload.New());
  published->CopyFrom(payload);
  PseudonymiseIds(*published, pseudonymizer_);
  long long sequence = 0;
  RunKept(s, "UPDATE counters SET value = value + 1 WHERE name = 'outbox' RETURNING value",
          soci::into(sequence));
  google::protobuf::Any any;
  any.PackFrom(*published);
  std::string event_id = RandomId();
  std::string type = payload.GetDescriptor()->full_name();
  std::string pseudonym = citizen_id.empty() ? "" : pseudonymizer_.Pseudonym(citizen_id);
  long long now = NowMicros();
  std::string encoded = absl::Base64Escape(any.SerializeAsString());
  RunKept(s,
          "INSERT INTO outbox (sequence, event_id, type, subject_pseudonym, create_micros, payload, "
          "ids_pseudonymised) VALUES (:seq, :id, :type, :pseudonym, :now, :payload, 1)",
          soci::use(sequence), soci::use(event_id), soci::use(type), soci::use(pseudonym), soci::use(now),
          soci::use(encoded));
  return sequence;
}

std::string Outbox::PseudonymiseStored(const std::string& type_name, const std::string& payload) const {
  const auto* type = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
  google::protobuf::Any any;
  if (!type || !any.ParseFromString(payload)) return payload;
  std::unique_ptr<google::protobuf::Message> m(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  if (!any.UnpackTo(m.get())) return payload;
  // Fields since removed (free text) go too.
  m->DiscardUnknownFields();
  PseudonymiseIds(*m, pseudonymizer_);
  any.PackFrom(*m);
  return any.SerializeAsString();
}

void Outbox::NotifyCommitted() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

absl::StatusOr<std::vector<common::v1::Event>> Outbox::ReadAfter(int64_t after, int limit) {
  std::vector<common::v1::Event> events;
  absl::Status status = db_.Read([&](soci::session& s) {
    long long from = after, micros = 0;
    std::string event_id, type, pseudonym, payload;
    int pseudonymised = 0;
    // Kept prepared: every open stream reads through this statement.
    Prepared st(s,
                "SELECT sequence, event_id, type, subject_pseudonym, create_micros, payload, "
                "ids_pseudonymised FROM outbox WHERE sequence > :after ORDER BY sequence LIMIT :lim");
    long long sequence = 0;
    st, soci::use(from), soci::use(limit), soci::into(sequence), soci::into(event_id), soci::into(type),
        soci::into(pseudonym), soci::into(micros), soci::into(payload), soci::into(pseudonymised);
    for (bool row = st.Execute(); row; row = st.Fetch()) {
      common::v1::Event e;
      e.set_sequence(sequence);
      e.set_event_id(event_id);
      e.set_type(type);
      e.set_source(source_);
      e.set_subject_pseudonym(pseudonym);
      e.mutable_create_time()->set_seconds(micros / 1000000);
      e.mutable_create_time()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
      std::string raw;
      absl::Base64Unescape(payload, &raw);
      // Written before ids were pseudonymised, or by a pod of the version
      // before during a rolling upgrade: published as the outbox would
      // have stored it now.
      if (pseudonymised == 0) raw = PseudonymiseStored(e.type(), raw);
      e.mutable_payload()->ParseFromString(raw);
      events.push_back(std::move(e));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return events;
}

void Outbox::Await(OutboxFollower* follower, int64_t after) {
  {
    std::lock_guard lock(mu_);
    waiting_[follower] = after;
    new_waiter_ = true;
  }
  cv_.notify_all();
}

void Outbox::Forget(OutboxFollower* follower) {
  // Delivery happens with mu_ held, so none is under way once we hold it.
  std::lock_guard lock(mu_);
  waiting_.erase(follower);
}

void Outbox::DeliveryLoop() {
  std::unique_lock lock(mu_);
  uint64_t seen = generation_;
  while (!closing_) {
    if (stopping_) {
      for (const auto& [follower, after] : waiting_) follower->OnEnd(absl::OkStatus());
      waiting_.clear();
    }
    if (waiting_.empty()) {
      cv_.wait(lock, [&] { return closing_ || !waiting_.empty(); });
      continue;
    }
    // A new follower is read for at once; the others when a commit was
    // notified, or after the poll interval for commits of other replicas.
    if (!new_waiter_) {
      cv_.wait_for(lock, absl::ToChronoMilliseconds(poll_interval_),
                   [&] { return closing_ || stopping_ || new_waiter_ || generation_ != seen; });
    }
    if (closing_ || stopping_) continue;
    seen = generation_;
    new_waiter_ = false;
    DeliverRound(lock);
  }
}

void Outbox::DeliverRound(std::unique_lock<std::mutex>& lock) {
  constexpr int kBatch = 500;
  using Batch = std::shared_ptr<const std::vector<common::v1::Event>>;
  std::unordered_map<int64_t, absl::StatusOr<Batch>> read;
  for (const auto& [follower, after] : waiting_) read.emplace(after, Batch());
  // Read without the lock, so followers may come and go meanwhile.
  lock.unlock();
  for (auto& [after, batch] : read) {
    auto events = ReadAfter(after, kBatch);
    if (events.ok()) {
      batch = std::make_shared<const std::vector<common::v1::Event>>(*std::move(events));
    } else {
      batch = events.status();
    }
  }
  lock.lock();
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto r = read.find(it->second);
    // A follower that came during the read is read for in the next round.
    if (r == read.end() || (r->second.ok() && (*r->second)->empty())) {
      ++it;
      continue;
    }
    if (r->second.ok()) {
      it->first->OnEvents(*r->second);
    } else {
      it->first->OnEnd(r->second.status());
    }
    it = waiting_.erase(it);
  }
}

void Outbox::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

}  // namespace ips
