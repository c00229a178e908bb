// Storage faults, as an operator's bad day goes (issue 19), against the
// registry binary: a database it cannot use at start (refused, naming it),
// a SQLite file made read-only during a run and a small file system that
// fills up (NOT_SERVING with one log line, calls UNAVAILABLE or
// RESOURCE_EXHAUSTED, back to SERVING by itself), and a PostgreSQL server
// stopped and started again under load (the service recovers without a
// restart and every acknowledged write is there once).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "services/common/peer_channel.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/process.h"
#include "tests/support/registry_server.h"

namespace ips::testing {
namespace {

namespace rv1 = registry::v1;
using Health = grpc::health::v1::HealthCheckResponse;
using Clock = std::chrono::steady_clock;

constexpr char kService[] = "ips.registry.v1.CitizenRegistry";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int Sh(const std::string& command) { return std::system(command.c_str()); }

// The registry binary on `db`, its health-only port found from its log.
class RegistryProcess {
 public:
  RegistryProcess(const std::string& db, const std::string& dir) : dir_(dir) {
    auto args = ServiceArgs(BinaryDir() + "/services/registry/registry", db, dir + "/port");
    args.push_back("--health_listen=127.0.0.1:0");
    std::remove((dir + "/port").c_str());
    process_ = std::make_unique<Process>(args, dir + "/registry.log");
    port_ = WaitForPortFile(dir + "/port", absl::Seconds(30));
    std::smatch m;
    const std::string log = Log();
    static const std::regex kHealthPort(R"re("event":"health_listening".*"port":(\d+))re");
    if (std::regex_search(log, m, kHealthPort)) health_port_ = std::stoi(m[1]);
    stub_ = rv1::CitizenRegistry::NewStub(Channel(port_));
  }
  ~RegistryProcess() {
    process_->Signal(SIGTERM);
    process_->Wait(absl::Seconds(20));
  }

  int port() const { return port_; }
  int health_port() const { return health_port_; }
  std::string Log() const { return ReadAll(dir_ + "/registry.log"); }
  bool Running() { return !process_->Wait(absl::ZeroDuration()).has_value(); }
  rv1::CitizenRegistry::Stub& stub() { return *stub_; }

  // The health of `service` ("" for the server as a whole) on the TLS port
  // and on the health-only port; UNKNOWN where either did not answer.
  std::pair<Health::ServingStatus, Health::ServingStatus> HealthOf(const std::string& service) {
    auto ask = [&](std::shared_ptr<grpc::Channel> channel) {
      grpc::health::v1::HealthCheckRequest req;
      req.set_service(service);
      Health resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
      auto s = grpc::health::v1::Health::NewStub(channel)->Check(&ctx, req, &resp);
      return s.ok() ? resp.status() : Health::UNKNOWN;
    };
    return {ask(Channel(port_)), ask(grpc::CreateChannel("127.0.0.1:" + std::to_string(health_port_),
                                                         grpc::InsecureChannelCredentials()))};
  }
  // Seconds until both ports say `want` for the service and overall, or -1
  // after `limit` seconds.
  double SecondsUntil(Health::ServingStatus want, double limit) {
    const auto start = Clock::now();
    while (std::chrono::duration<double>(Clock::now() - start).count() < limit) {
      const auto named = HealthOf(kService), overall = HealthOf("");
      if (named.first == want && named.second == want && overall.first == want && overall.second == want)
        return std::chrono::duration<double>(Clock::now() - start).count();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

  grpc::Status Create(const std::string& request_id, int serial, rv1::Citizen* out = nullptr) {
    rv1::CreateCitizenRequest req;
    req.mutable_citizen()->set_cpr(
        CprFor(1970, 1 + serial / 1000 % 12, 1 + serial / 12000 % 28, serial % 1000));
    req.mutable_citizen()->set_given_name("Fault");
    req.mutable_citizen()->set_family_name("Test");
    req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
    req.set_request_id(request_id);
    rv1::Citizen ignored;
    return stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, out ? out : &ignored);
  }
  std::set<std::string> Stored() {
    std::set<std::string> names;
    rv1::ListCitizensRequest req;
    req.set_page_size(1000);
    do {
      rv1::ListCitizensResponse resp;
      auto s = stub_->ListCitizens(Ctx(DpoToken()).get(), req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& c : resp.citizens())
        EXPECT_TRUE(names.insert(c.name()).second) << "twice: " << c.name();
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return names;
  }

 private:
  std::string dir_;
  std::unique_ptr<Process> process_;
  int port_ = 0, health_port_ = 0;
  std::unique_ptr<rv1::CitizenRegistry::Stub> stub_;
};

// Starts the registry on `db` and returns its exit code and log (it is
// expected to refuse).
std::pair<std::optional<int>, std::string> StartExpectingRefusal(const std::string& db,
                                                                 const std::string& dir) {
  auto args = ServiceArgs(BinaryDir() + "/services/registry/registry", db, dir + "/port");
  Process p(args, dir + "/refused.log");
  auto code = p.Wait(absl::Seconds(20));
  return {code, ReadAll(dir + "/refused.log")};
}

// chattr +i/-i on the SQLite files: the kernel then refuses writes even
// through descriptors already open (and to root), as a read-only volume
// would.
bool SetImmutable(const std::string& db_file, bool on) {
  bool ok = true;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string f = db_file + suffix;
    if (!std::ifstream(f)) continue;
    ok = Sh(std::string("chattr ") + (on ? "+i '" : "-i '") + f + "' 2>/dev/null") == 0 && ok;
  }
  return ok;
}

TEST(StorageStartTest, RefusesADatabaseItCannotUseAndNamesIt) {
  const std::string dir = TempDir("ips-storage-start");
  // No such folder.
  const std::string missing = "sqlite://" + dir + "/missing/registry.db";
  auto [code, log] = StartExpectingRefusal(missing, dir);
  ASSERT_TRUE(code.has_value()) << "started on a folder that does not exist";
  EXPECT_NE(*code, 0);
  EXPECT_NE(log.find("db: cannot open " + missing), std::string::npos) << log;

  // A file that is not a database.
  std::ofstream(dir + "/garbage.db") << std::string(8192, 'x');
  std::tie(code, log) = StartExpectingRefusal("sqlite://" + dir + "/garbage.db", dir);
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  EXPECT_NE(log.find(dir + "/garbage.db"), std::string::npos) << log;
  EXPECT_NE(log.find("damaged"), std::string::npos) << log;

  // A database made read-only (as a read-only volume would be).
  const std::string file = dir + "/registry.db";
  {
    RegistryProcess first("sqlite://" + file, dir);
    ASSERT_GT(first.port(), 0);
  }
  if (!SetImmutable(file, true)) GTEST_SKIP() << "chattr +i is not allowed here (needs root on ext4/tmpfs)";
  std::tie(code, log) = StartExpectingRefusal("sqlite://" + file, dir);
  SetImmutable(file, false);
  ASSERT_TRUE(code.has_value()) << "started on a database it cannot write";
  EXPECT_NE(*code, 0);
  EXPECT_NE(log.find("db: cannot write sqlite://" + file), std::string::npos) << log;

  // PostgreSQL that is not there: the URL named, its password not.
  const std::string pg = "postgresql://ips:s3cret-word@127.0.0.1:" + std::to_string(FreePort()) + "/registry";
  std::tie(code, log) = StartExpectingRefusal(pg, dir);
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  EXPECT_NE(log.find("postgresql://ips:***@127.0.0.1"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cret-word"), std::string::npos) << log;
}

TEST(StorageRunTest, ADatabaseMadeReadOnlyIsNotServingUntilItCanBeWrittenAgain) {
  const std::string dir = TempDir("ips-storage-ro");
  const std::string file = dir + "/registry.db";
  RegistryProcess registry("sqlite://" + file, dir);
  ASSERT_GT(registry.port(), 0);
  ASSERT_GT(registry.health_port(), 0) << "no health_listening log line";
  ASSERT_TRUE(registry.Create("ro-1", 1).ok());
  ASSERT_GE(registry.SecondsUntil(Health::SERVING, 5), 0);

  if (!SetImmutable(file, true)) GTEST_SKIP() << "chattr +i is not allowed here (needs root on ext4/tmpfs)";
  auto s = registry.Create("ro-2", 2);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("nothing was saved"), std::string::npos) << s.error_message();
  const double down = registry.SecondsUntil(Health::NOT_SERVING, 5);
  const bool down_ok = down >= 0;
  // Every write fails the same way while it cannot be written.
  s = registry.Create("ro-2", 2);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();

  SetImmutable(file, false);
  const double back = registry.SecondsUntil(Health::SERVING, 10);
  EXPECT_TRUE(down_ok) << "still SERVING on a database it cannot write";
  EXPECT_GE(back, 0) << "not SERVING again after the file became writable";
  EXPECT_LT(back, 3.0);
  std::cout << "read-only database: NOT_SERVING after " << down << " s, SERVING " << back
            << " s after it was writable again\n";
  rv1::Citizen made;
  s = registry.Create("ro-2", 2, &made);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(registry.Stored().size(), 2u);
  EXPECT_TRUE(registry.Running()) << "the registry restarted";
  const std::string log = registry.Log();
  EXPECT_NE(log.find("\"event\":\"storage_unavailable\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"storage_available\""), std::string::npos);
}

TEST(StorageRunTest, AFullFileSystemIsResourceExhaustedAndRecoversWhenSpaceIsFreed) {
  const std::string dir = TempDir("ips-storage-full");
  const std::string mnt = dir + "/small";
  Sh("mkdir -p '" + mnt + "'");
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=24m") != 0) {
    GTEST_SKIP() << "this machine forbids mounting a small file system (" << strerror(errno) << ")";
  }
  struct Unmount {
    std::string at;
    ~Unmount() { umount2(at.c_str(), MNT_DETACH); }
  } unmount{mnt};
  {
    RegistryProcess registry("sqlite://" + mnt + "/registry.db", dir);
    ASSERT_GT(registry.port(), 0);
    ASSERT_GT(registry.health_port(), 0);
    // Everything but about 300 KB taken by another file.
    ASSERT_EQ(Sh("dd if=/dev/zero of='" + mnt +
                 "/filler' bs=64k 2>/dev/null; "
                 "truncate -s -300K '" +
                 mnt + "/filler'"),
              0);
    std::set<std::string> acknowledged;
    grpc::Status refused;
    int serial = 0;
    for (; serial < 20000; ++serial) {
      rv1::Citizen made;
      grpc::Status s = registry.Create("full-" + std::to_string(serial), serial, &made);
      if (!s.ok()) {
        refused = s;
        break;
      }
      acknowledged.insert(made.name());
    }
    ASSERT_FALSE(refused.ok()) << "20000 citizens fitted into 300 KB";
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
    EXPECT_NE(refused.error_message().find("storage is full"), std::string::npos) << refused.error_message();
    const double down = registry.SecondsUntil(Health::NOT_SERVING, 5);
    EXPECT_GE(down, 0) << "SERVING on a full disk";

    Sh("rm -f '" + mnt + "/filler'");
    const double back = registry.SecondsUntil(Health::SERVING, 10);
    EXPECT_GE(back, 0) << "not SERVING again after space was freed";
    EXPECT_LT(back, 3.0);
    std::cout << "full file system after " << acknowledged.size() << " citizens: NOT_SERVING after " << down
              << " s, SERVING " << back << " s after space was freed\n";
    // The refused create, repeated, is made now; nothing half-written.
    rv1::Citizen made;
    auto s = registry.Create("full-" + std::to_string(serial), serial, &made);
    ASSERT_TRUE(s.ok()) << s.error_message();
    acknowledged.insert(made.name());
    EXPECT_EQ(registry.Stored(), acknowledged);
    EXPECT_TRUE(registry.Running());
  }
}

// A private PostgreSQL server this test may stop and start.
class PrivatePostgres {
 public:
  PrivatePostgres() : dir_(TempDir("ips-pg-private")), port_(FreePort()) { Start(); }
  ~PrivatePostgres() { Stop(); }
  bool Start() {
    const std::string cmd = SourceDir() + "/scripts/start-postgres.sh '" + dir_ + "' " +
                            std::to_string(port_) + " > '" + dir_ + "/url' 2>'" + dir_ + "/start.log'";
    if (Sh(cmd) != 0) return false;
    url_ = ReadAll(dir_ + "/url");
    while (!url_.empty() && (url_.back() == '\n' || url_.back() == ' ')) url_.pop_back();
    return !url_.empty();
  }
  void Stop() {
    Sh("bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); "
       "if [ \"$(id -u)\" -eq 0 ]; then runuser -u postgres -- \"$bin/pg_ctl\" -D '" +
       dir_ + "/data' -m fast -w stop; else \"$bin/pg_ctl\" -D '" + dir_ +
       "/data' -m fast -w stop; fi >/dev/null 2>&1");
  }
  const std::string& url() const { return url_; }

 private:
  std::string dir_;
  int port_;
  std::string url_;
};

TEST(PostgresOutageTest, StoppedAndStartedUnderLoadTheServiceComesBackByItself) {
  if (!std::getenv("IPS_TEST_PG_URL")) {
    const char* require = std::getenv("IPS_REQUIRE_PG");
    if (require && std::string(require) == "1") FAIL() << "IPS_TEST_PG_URL is not set";
    GTEST_SKIP() << "PostgreSQL not configured (IPS_TEST_PG_URL)";
  }
  PrivatePostgres pg;
  ASSERT_FALSE(pg.url().empty()) << "could not start a private PostgreSQL";
  const std::string dir = TempDir("ips-pg-outage");
  RegistryProcess registry(pg.url(), dir);
  ASSERT_GT(registry.port(), 0);
  ASSERT_GT(registry.health_port(), 0);

  constexpr int kClients = 4;
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::map<grpc::StatusCode, int> seen;
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      grpc::ChannelArguments args;
      SetRecommendedChannelArgs(args);
      auto stub = rv1::CitizenRegistry::NewStub(Channel(registry.port(), "ipsctl", args));
      for (int i = 0; !stop; ++i) {
        const int serial = t * 100000 + i;
        rv1::CreateCitizenRequest req;
        req.mutable_citizen()->set_cpr(CprFor(1980 + t, 1 + i / 1000 % 12, 1 + i / 12000 % 28, i % 1000));
        req.mutable_citizen()->set_given_name("Outage");
        req.mutable_citizen()->set_family_name("Test");
        req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
        req.set_request_id("pg-" + std::to_string(serial));
        // Repeated with the same request id until it is answered.
        for (int attempt = 0; attempt < 600 && !stop; ++attempt) {
          rv1::Citizen out;
          auto s = stub->CreateCitizen(Ctx(ConsultantToken()).get(), req, &out);
          std::lock_guard lock(mu);
          ++seen[s.error_code()];
          if (s.ok()) {
            EXPECT_TRUE(acknowledged.insert(out.name()).second) << "acknowledged twice: " << out.name();
            break;
          }
          if (s.error_code() != grpc::StatusCode::UNAVAILABLE) {
            ADD_FAILURE() << s.error_code() << " " << s.error_message();
            return;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  pg.Stop();
  const double down = registry.SecondsUntil(Health::NOT_SERVING, 10);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_TRUE(pg.Start()) << "PostgreSQL did not start again";
  const double back = registry.SecondsUntil(Health::SERVING, 20);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  stop = true;
  for (auto& c : clients) c.join();

  EXPECT_GE(down, 0) << "SERVING while PostgreSQL was down";
  EXPECT_GE(back, 0) << "not SERVING after PostgreSQL came back";
  EXPECT_LT(back, 5.0);
  EXPECT_GT(seen[grpc::StatusCode::UNAVAILABLE], 0) << "no call met the outage";
  EXPECT_EQ(seen.count(grpc::StatusCode::INTERNAL), 0u);
  EXPECT_TRUE(registry.Running()) << "the registry restarted";
  EXPECT_EQ(registry.Stored(), acknowledged);
  std::cout << "PostgreSQL stopped under load: NOT_SERVING after " << down << " s; SERVING " << back
            << " s after it was started again; " << acknowledged.size() << " creates acknowledged, "
            << seen[grpc::StatusCode::UNAVAILABLE] << " answers UNAVAILABLE\n";
}

}  // namespace
}  // namespace ips::testing
