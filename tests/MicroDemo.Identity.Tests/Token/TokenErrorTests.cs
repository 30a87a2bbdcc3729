using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using static MicroDemo.Identity.Tests.TokenRequests;

namespace MicroDemo.Identity.Tests.Token;

/// <summary>Every RFC 6749 §5.2 error of the token endpoint: status, body and headers.</summary>
public sealed class TokenErrorTests(IdentityFactory identity) : IClassFixture<IdentityFactory>
{
    private static readonly Dictionary<string, ErrorCase> Cases = new()
    {
        ["no grant_type"] = new(Form([("scope", "users.read")], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_request"),
        ["repeated parameter"] = new(Form([("grant_type", "client_credentials"), ("scope", "users.read"), ("scope", "orders.read")], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_request"),
        ["Basic and body credentials"] = new(Form([("grant_type", "client_credentials"), ("client_id", DemoClient), ("client_secret", DemoSecret)], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_request"),
        ["JSON body"] = new(() => Request(new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"), Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_request"),
        ["multipart body"] = new(() => Request(new MultipartFormDataContent { { new StringContent("client_credentials"), "grant_type" } }, Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_request"),
        ["no body"] = new(() => Request(null, Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_request"),
        ["password grant without password"] = new(Form([("grant_type", "password"), ("username", "alice")], Basic(SpaClient, SpaSecret)), HttpStatusCode.BadRequest, "invalid_request"),
        // OpenIddict answers a request without usable client credentials with invalid_request, a wrong secret with invalid_client.
        ["no client authentication"] = new(Form([("grant_type", "client_credentials")], null), HttpStatusCode.BadRequest, "invalid_request"),
        ["client_id without secret"] = new(Form([("grant_type", "client_credentials"), ("client_id", DemoClient)], null), HttpStatusCode.BadRequest, "invalid_request"),
        ["unknown client in body"] = new(Form([("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", DemoSecret)], null), HttpStatusCode.Unauthorized, "invalid_client"),
        ["wrong secret in body"] = new(Form([("grant_type", "client_credentials"), ("client_id", DemoClient), ("client_secret", "wrong")], null), HttpStatusCode.Unauthorized, "invalid_client"),
        ["wrong secret in Basic"] = new(Form([("grant_type", "client_credentials")], Basic(DemoClient, "wrong")), HttpStatusCode.Unauthorized, "invalid_client"),
        ["malformed Basic"] = new(Form([("grant_type", "client_credentials")], new AuthenticationHeaderValue("Basic", "not base64!")), HttpStatusCode.BadRequest, "invalid_request"),
        ["Basic without colon"] = new(Form([("grant_type", "client_credentials")], new AuthenticationHeaderValue("Basic", Convert.ToBase64String("demo-client"u8.ToArray()))), HttpStatusCode.BadRequest, "invalid_request"),
        ["unsupported grant type"] = new(Form([("grant_type", "authorization_code"), ("code", "x")], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "unsupported_grant_type"),
        ["grant type with quotes"] = new(Form([("grant_type", "\"é\\")], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "unsupported_grant_type"),
        ["password grant for a machine client"] = new(Form([("grant_type", "password"), ("username", "alice"), ("password", AlicePassword)], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "unauthorized_client"),
        ["client_credentials for the password client"] = new(Form([("grant_type", "client_credentials")], Basic(SpaClient, SpaSecret)), HttpStatusCode.BadRequest, "unauthorized_client"),
        ["wrong password"] = new(Form([("grant_type", "password"), ("username", "alice"), ("password", BobPassword)], Basic(SpaClient, SpaSecret)), HttpStatusCode.BadRequest, "invalid_grant"),
        ["unknown user"] = new(Form([("grant_type", "password"), ("username", "mallory"), ("password", AlicePassword)], Basic(SpaClient, SpaSecret)), HttpStatusCode.BadRequest, "invalid_grant"),
        ["unknown scope"] = new(Form([("grant_type", "client_credentials"), ("scope", "payments.read")], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_scope"),
        ["scope beyond the client"] = new(Form([("grant_type", "client_credentials"), ("scope", "users.read users.write")], Basic(ReadonlyClient, ReadonlySecret)), HttpStatusCode.BadRequest, "invalid_scope"),
        ["admin scope for the demo client"] = new(Form([("grant_type", "client_credentials"), ("scope", "gateway.admin")], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_scope"),
        ["malformed scope"] = new(Form([("grant_type", "client_credentials"), ("scope", "users.read \"x\"")], Basic(DemoClient, DemoSecret)), HttpStatusCode.BadRequest, "invalid_scope"),
        ["user scope beyond the client"] = new(Form([("grant_type", "password"), ("username", "alice"), ("password", AlicePassword), ("scope", "gateway.admin")], Basic(SpaClient, SpaSecret)), HttpStatusCode.BadRequest, "invalid_scope"),
    };

    private readonly HttpClient _client = identity.CreateClient();

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Error_has_the_status_body_and_headers_of_RFC_6749(string caseName)
    {
        var expected = Cases[caseName];

        var response = await _client.SendAsync(expected.Request());

        Assert.Equal(expected.Status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = (await response.Content.ReadFromJsonAsync<TokenError>())!;
        Assert.Equal(expected.Error, body.Error);
        Assert.NotEmpty(body.ErrorDescription);

        // RFC 6749 §5.2: error_description is printable ASCII without '"' and '\'.
        Assert.All(body.ErrorDescription, c => Assert.True(c is >= '\x20' and <= '\x7E' and not '"' and not '\\', $"'{c}' in: {body.ErrorDescription}"));

        if (expected.Status == HttpStatusCode.Unauthorized)
        {
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Basic", challenge.Scheme);
            Assert.Contains("error=\"invalid_client\"", challenge.Parameter);
        }
        else
        {
            Assert.Empty(response.Headers.WwwAuthenticate);
        }
    }

    [Fact]
    public async Task Get_on_the_token_endpoint_is_refused()
    {
        var response = await _client.GetAsync("/connect/token");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<TokenError>())!.Error);
    }

    private static Func<HttpRequestMessage> Form(IEnumerable<(string Name, string Value)> form, AuthenticationHeaderValue? authorization) =>
        () => Request(new FormUrlEncodedContent(form.Select(pair => new KeyValuePair<string, string>(pair.Name, pair.Value))), authorization);

    private static HttpRequestMessage Request(HttpContent? content, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = content };
        request.Headers.Authorization = authorization;
        return request;
    }

    private sealed record ErrorCase(Func<HttpRequestMessage> Request, HttpStatusCode Status, string Error);
}
