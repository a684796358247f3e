// The real-time stream: a user receives the alarms of its scope over WebSocket, and nothing else.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "support/stream_client.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;
namespace net = boost::asio;
namespace beast = boost::beast;

class StreamApi : public ApiTest {};

TEST_P(StreamApi, AlarmsReachOnlyTheUsersWhoseScopeCoversThem) {
  auto m = w_->as("ent_mgr");
  const std::string code = "WS" + std::to_string(next_serial() % 10000000);
  ASSERT_EQ(m.post("/api/v1/monitoring/points",
                   json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_XIHU"] + R"(","code":")" + code +
                               R"(","name":"可燃气体","indicator":"combustible_gas","unit":"%LEL","thresholds":{"high":25,"high_high":50}})")
                       .as_object()).status, 201u);
  const std::string key(m.post("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/api-keys", json::object{}).json().at("key").as_string());

  StreamClient xihu(w_->port, w_->login("xihu_insp"));
  StreamClient city(w_->port, w_->login("hz_insp"));
  StreamClient other(w_->port, w_->login("binjiang_insp"));
  HttpClient gateway(w_->port);
  const Millis t = now_ms() - 1000;
  auto r = gateway.request("POST", "/api/v1/monitoring/readings",
                           R"({"readings":[{"point":")" + code + R"(","ts":)" + std::to_string(t) + R"(,"value":30}]})",
                           {{"Authorization", "ApiKey " + key}});
  ASSERT_EQ(r.status, 200u) << r.body;
  for (StreamClient* c : {&xihu, &city}) {
    const std::string msg = c->next_containing(code, std::chrono::seconds(30));
    ASSERT_NE(msg.find(code), std::string::npos) << "no alarm.raised for the point";
    auto j = json::parse(msg);
    EXPECT_EQ(j.at("type").as_string(), "alarm.raised");
    EXPECT_EQ(j.at("data").at("level").as_string(), "high");
    EXPECT_EQ(j.at("data").at("enterprise_uscc").as_string(), w_->uscc["E_XIHU"]);
  }
  // 滨江 hears nothing of 西湖's alarm.
  for (std::string msg; !(msg = other.next(std::chrono::milliseconds(800))).empty();)
    EXPECT_EQ(msg.find(w_->uscc["E_XIHU"]), std::string::npos) << msg;
}

TEST_P(StreamApi, NoSessionNoStream) {
  net::io_context ioc;
  beast::websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), w_->port));
  beast::error_code ec;
  ws.handshake("127.0.0.1", "/api/v1/stream?token=forged", ec);
  EXPECT_TRUE(ec) << "the upgrade must be refused";
  auto plain = w_->as("xihu_insp").get("/api/v1/stream");
  EXPECT_EQ(plain.status, 426u);
}

TEST_P(StreamApi, AOneTimeTicketOpensTheStreamSoTheTokenStaysOutOfUrls) {
  auto c = w_->as("xihu_insp");
  auto t = c.request("POST", "/api/v1/stream/ticket");
  ASSERT_EQ(t.status, 201u) << t.body;
  const std::string ticket(t.json().at("ticket").as_string());
  EXPECT_GE(ticket.size(), 32u);
  auto open = [&](const std::string& target) {
    net::io_context ioc;
    beast::websocket::stream<beast::tcp_stream> ws(ioc);
    beast::get_lowest_layer(ws).connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), w_->port));
    beast::error_code ec;
    ws.handshake("127.0.0.1", target, ec);
    if (!ec) {
      ws.write(net::buffer(std::string(R"({"subscribe":"nothing"})")), ec);
      beast::flat_buffer b;
      if (!ec) ws.read(b, ec);  // the server answers a message only on a standing session
    }
    return !ec;
  };
  EXPECT_TRUE(open("/api/v1/stream?ticket=" + ticket));
  EXPECT_FALSE(open("/api/v1/stream?ticket=" + ticket)) << "a ticket is good once";
  EXPECT_FALSE(open("/api/v1/stream?ticket=forged"));
  EXPECT_FALSE(open("/api/v1/stream?ticket="));
  EXPECT_EQ(w_->anonymous().request("POST", "/api/v1/stream/ticket").status, 401u);
  // A ticket of a session that ended since opens nothing.
  auto other = w_->login("xihu_insp");
  HttpClient o(w_->port);
  o.set_token(other);
  const std::string late(o.request("POST", "/api/v1/stream/ticket").json().at("ticket").as_string());
  ASSERT_EQ(o.request("POST", "/api/v1/auth/logout").status, 204u);
  EXPECT_FALSE(open("/api/v1/stream?ticket=" + late));
}

TEST_P(StreamApi, SubscribersReceiveTheReadingsOfPointsInTheirScopeOnly) {
  auto m = w_->as("ent_mgr");
  const std::string code = "RD" + std::to_string(next_serial() % 10000000);
  auto source = m.post("/api/v1/hazard-sources", json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_XIHU"] + R"(","code":"HS)" + code +
                                                             R"(","name":"罐区","kind":"tank_farm"})").as_object());
  ASSERT_EQ(source.status, 201u) << source.body;
  const std::string source_id(source.json().at("id").as_string());
  auto point = m.post("/api/v1/monitoring/points", json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_XIHU"] + R"(","code":")" + code +
                                                               R"(","name":"液位","indicator":"tank_level","hazard_source_id":")" + source_id + R"("})").as_object());
  ASSERT_EQ(point.status, 201u) << point.body;
  const std::string point_id(point.json().at("id").as_string());
  const std::string key(m.post("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/api-keys", json::object{}).json().at("key").as_string());
  auto send_reading = [&](Millis ts, double v) {
    HttpClient gateway(w_->port);
    return gateway.request("POST", "/api/v1/monitoring/readings",
                           R"({"readings":[{"point":")" + code + R"(","ts":)" + std::to_string(ts) + R"(,"value":)" + std::to_string(v) + "}]}",
                           {{"Authorization", "ApiKey " + key}});
  };
  StreamClient xihu(w_->port, w_->login("xihu_insp"));
  StreamClient binjiang(w_->port, w_->login("binjiang_insp"));
  // Hostile and mistaken messages get an error, and the connection stays.
  xihu.send("{not json");
  EXPECT_NE(xihu.next_not_alarm(std::chrono::seconds(2)).find("invalid_json"), std::string::npos);
  xihu.send(R"({"subscribe":{"colour":"red"}})");
  EXPECT_NE(xihu.next_not_alarm(std::chrono::seconds(2)).find("unknown_field"), std::string::npos);
  // Outside the scope: the same answer as a point that does not exist.
  binjiang.send(R"({"subscribe":{"points":[")" + point_id + R"("]}})");
  auto refused = binjiang.next_not_alarm(std::chrono::seconds(2));
  EXPECT_NE(refused.find("not_found"), std::string::npos) << refused;
  binjiang.send(R"({"subscribe":{"hazard_source_id":")" + source_id + R"("}})");
  EXPECT_NE(binjiang.next_not_alarm(std::chrono::seconds(2)).find("not_found"), std::string::npos);
  // By hazard source: its points.
  xihu.send(R"({"subscribe":{"hazard_source_id":")" + source_id + R"("}})");
  auto ok = json::parse(xihu.next_not_alarm(std::chrono::seconds(2)));
  ASSERT_EQ(ok.at("type").as_string(), "subscribed") << ok;
  ASSERT_EQ(ok.at("data").at("points").as_array().size(), 1u);
  // Recent readings (an old one would let the background offline check raise an alarm meanwhile).
  const Millis t = now_ms() - 2'000;
  ASSERT_EQ(send_reading(t, 7.5).status, 200u);
  auto reading = json::parse(xihu.next_not_alarm(std::chrono::seconds(3)));
  EXPECT_EQ(reading.at("type").as_string(), "reading");
  EXPECT_EQ(reading.at("data").at("point").as_string(), code);
  EXPECT_EQ(reading.at("data").at("ts").as_int64(), t);
  EXPECT_EQ(reading.at("data").at("value").to_number<double>(), 7.5);
  for (std::string m; !(m = binjiang.next(std::chrono::milliseconds(300))).empty();)
    EXPECT_EQ(m.find(code), std::string::npos) << "nothing of this point for the county outside: " << m;
  // Unsubscribed: no more readings (alarms of the scope may still come: they are not readings).
  xihu.send(R"({"subscribe":{}})");
  EXPECT_NE(xihu.next_not_alarm(std::chrono::seconds(2)).find("subscribed"), std::string::npos);
  ASSERT_EQ(send_reading(t + 1000, 8).status, 200u);
  for (std::string m; !(m = xihu.next(std::chrono::milliseconds(300))).empty();)
    EXPECT_EQ(m.find("\"type\":\"reading\""), std::string::npos) << m;
}

TEST_P(StreamApi, ARiskLevelChangeReachesTheRegulatorsInScopeOnly) {
  const std::string uscc = uscc_for("330106", next_serial());
  auto admin = w_->as("zj_admin");
  ASSERT_EQ(admin.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "风险推送测试有限公司"}, {"region_code", "330106"},
                                                           {"industry", "machinery"}}).status, 201u);
  auto& risk = w_->app->enterprise_risk();
  ASSERT_TRUE(risk.recompute({uscc}, now_ms(), "test").ok());
  StreamClient xihu(w_->port, w_->login("xihu_insp"));
  StreamClient other(w_->port, w_->login("binjiang_insp"));
  ASSERT_EQ(admin.post("/api/v1/hazard-sources", json::object{{"enterprise_uscc", uscc}, {"code", "HS-1"}, {"name", "液氯库"},
                                                              {"kind", "warehouse"}, {"grade", 1}}).status, 201u);
  ASSERT_TRUE(risk.recompute_marked(now_ms()).ok());
  const std::string got = xihu.next_containing(uscc, std::chrono::seconds(30));
  ASSERT_NE(got.find("\"type\":\"risk.level_changed\""), std::string::npos) << got;
  EXPECT_NE(got.find("\"level\":\"major\""), std::string::npos) << got;
  EXPECT_NE(got.find("\"rose_to_red\":true"), std::string::npos) << got;
  for (std::string m = other.next(std::chrono::milliseconds(500)); !m.empty(); m = other.next(std::chrono::milliseconds(300)))
    EXPECT_EQ(m.find(uscc), std::string::npos) << "滨江 sees 西湖's enterprise: " << m;
}

TEST_P(StreamApi, AnIncidentsDispatchReachesTheCommandersInScopeOnly) {
  StreamClient xihu(w_->port, w_->login("xihu_insp"));
  StreamClient city(w_->port, w_->login("hz_insp"));
  StreamClient other(w_->port, w_->login("binjiang_insp"));
  const std::string title = "推送测试演练" + std::to_string(next_serial());
  auto opened = w_->as("xihu_insp").post("/api/v1/incidents", json::object{{"title", title}, {"region_code", "330106"}, {"lon", 120.08},
                                                                          {"lat", 30.29}, {"drill", true}});
  ASSERT_EQ(opened.status, 201u) << opened.body;
  for (auto* c : {&xihu, &city}) {
    const std::string got = c->next_containing(title, std::chrono::seconds(30));
    EXPECT_NE(got.find("\"type\":\"incident.changed\""), std::string::npos) << got;
    EXPECT_NE(got.find("\"drill\":true"), std::string::npos) << got;
  }
  for (std::string m = other.next(std::chrono::milliseconds(500)); !m.empty(); m = other.next(std::chrono::milliseconds(300)))
    EXPECT_EQ(m.find(title), std::string::npos) << "滨江 sees 西湖's response: " << m;
}

TEST_P(StreamApi, TheStreamEndsWithItsSession) {
  // Logout ends the stream at the next check (every second here; 30 s by default) with 4001.
  const std::string token = w_->login("xihu_insp");
  StreamClient stream(w_->port, token);
  HttpClient c(w_->port);
  c.set_token(token);
  ASSERT_EQ(c.request("POST", "/api/v1/auth/logout").status / 100, 2u);
  ASSERT_TRUE(stream.closed_within(std::chrono::seconds(5))) << "the stream outlived its session";
  EXPECT_EQ(stream.close_code(), 4001);
  // A message the client sends is checked too: a disabled user's stream ends at once.
  auto admin = w_->as("nation_admin");
  const std::string name = "ws_" + std::to_string(next_serial());
  auto made = admin.post("/api/v1/users", json::object{{"username", name}, {"display_name", "流测试"}, {"org_id", w_->org_id["xihu"]},
                                                       {"roles", json::array{"inspector"}}, {"password", kPassword},
                                                       {"must_change_password", false}});
  ASSERT_EQ(made.status, 201u) << made.body;
  StreamClient other(w_->port, w_->login(name));
  const std::string id(made.json().at("id").as_string());
  auto version = admin.get("/api/v1/users/" + id).header("etag");
  ASSERT_EQ(admin.patch("/api/v1/users/" + id, json::object{{"disabled", true}}, version).status, 200u);
  other.try_send(R"({"subscribe":{}})");
  ASSERT_TRUE(other.closed_within(std::chrono::seconds(5)));
  EXPECT_EQ(other.close_code(), 4001);
}

TEST_P(StreamApi, AUserWhoMustChangeThePasswordCanDoNothingElse) {
  auto admin = w_->as("nation_admin");
  const std::string name = "pw_" + std::to_string(next_serial());
  auto made = admin.post("/api/v1/users", json::object{{"username", name}, {"display_name", "初始密码"}, {"org_id", w_->org_id["ent"]},
                                                       {"roles", json::array{"enterprise_manager"}}, {"password", kPassword},
                                                       {"must_change_password", true}});
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string token = w_->login(name);
  HttpClient c(w_->port);
  c.set_token(token);
  // Not the stream, and not the public routes that take a session (the coal-mine file upload).
  net::io_context ioc;
  beast::websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), w_->port));
  beast::error_code ec;
  ws.handshake("127.0.0.1", "/api/v1/stream?token=" + token, ec);
  EXPECT_TRUE(ec) << "a user who must change the password opened the stream";
  auto coal = c.request("POST", "/api/v1/monitoring/coal-files?name=123_CDSS_20261129083000.txt", "x");
  EXPECT_EQ(coal.error_code(), "password_change_required") << coal.body;
  EXPECT_EQ(c.get("/api/v1/enterprises").error_code(), "password_change_required");
  // What it may do: see who it is, change the password.
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 200u);
}

TEST_P(StreamApi, AClientThatFloodsTheStreamIsCutOff) {
  StreamClient flood(w_->port, w_->login("xihu_insp"));
  // A burst of 20 is allowed; hundreds at once, without reading the replies, are not.
  int sent = 0;
  for (; sent < 500 && flood.try_send(R"({"subscribe":{}})"); ++sent) {
  }
  ASSERT_TRUE(flood.closed_within(std::chrono::seconds(5)));
  EXPECT_EQ(flood.close_code(), 1008) << "policy: too many messages";
  // A client within the rate keeps its stream.
  StreamClient calm(w_->port, w_->login("xihu_insp"));
  for (int i = 0; i < 5; ++i) {
    calm.send(R"({"subscribe":{}})");
    EXPECT_NE(calm.next_not_alarm(std::chrono::seconds(2)).find("subscribed"), std::string::npos);
  }
}

TEST_P(StreamApi, AMovedEnterprisesAlarmsGoToItsNewCounty) {
  auto zj = w_->as("zj_admin");
  const std::string uscc = uscc_for("330106", next_serial());
  ASSERT_EQ(zj.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "迁移报警测试化工有限公司"}, {"region_code", "330106"},
                                                        {"industry", "hazchem_use"}}).status, 201u);
  const std::string code = "MV" + std::to_string(next_serial() % 10000000);
  ASSERT_EQ(zj.post("/api/v1/monitoring/points",
                    json::parse(R"({"enterprise_uscc":")" + uscc + R"(","code":")" + code +
                                R"(","name":"可燃气体","indicator":"combustible_gas","unit":"%LEL","thresholds":{"high":25,"high_high":50}})")
                        .as_object()).status, 201u);
  const std::string key(zj.post("/api/v1/enterprises/" + uscc + "/api-keys", json::object{}).json().at("key").as_string());
  HttpClient gateway(w_->port);
  auto send = [&](double value) {
    return gateway.request("POST", "/api/v1/monitoring/readings",
                           R"({"readings":[{"point":")" + code + R"(","ts":)" + std::to_string(now_ms() - 500) + R"(,"value":)" +
                               std::to_string(value) + "}]}",
                           {{"Authorization", "ApiKey " + key}});
  };
  ASSERT_EQ(send(5).status, 200u);  // the pipeline now holds the point, with 西湖 as its county
  ASSERT_EQ(zj.patch("/api/v1/enterprises/" + uscc, json::object{{"region_code", "330108"}}, "\"1\"").status, 200u);
  StreamClient old_county(w_->port, w_->login("xihu_insp"));
  StreamClient new_county(w_->port, w_->login("binjiang_insp"));
  ASSERT_EQ(send(30).status, 200u);
  const std::string msg = new_county.next_containing(code, std::chrono::seconds(30));
  EXPECT_NE(msg.find(code), std::string::npos) << "滨江, where it is now, hears its alarm";
  for (std::string m; !(m = old_county.next(std::chrono::milliseconds(800))).empty();)
    EXPECT_EQ(m.find(code), std::string::npos) << "西湖, which it left, does not: " << m;
}

INSTANTIATE_TEST_SUITE_P(Backends, StreamApi, ::testing::Values("sqlite", "postgres"));
