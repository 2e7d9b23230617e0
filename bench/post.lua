-- wrk script: POST a small JSON call with the bearer token from the TOKEN environment variable
wrk.method = "POST"
wrk.body = '{"customer":"c_42","amount":1250}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
