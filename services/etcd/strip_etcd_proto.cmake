# Copies one of etcd's .proto files without what protoc cannot resolve here:
# the gogoproto imports and options (Go code generation) and the
# google.api.http annotations (grpc-gateway). Messages, fields and services
# are unchanged, so the wire format and the RPC names are etcd's own.
#
#   cmake -DIN=.../rpc.proto -DOUT=.../rpc.proto -P strip_etcd_proto.cmake
file(READ "${IN}" text)
string(REGEX REPLACE "import \"gogoproto/gogo.proto\";\n" "" text "${text}")
string(REGEX REPLACE "import \"google/api/annotations.proto\";\n" "" text "${text}")
string(REGEX REPLACE "option \\(gogoproto\\.[a-z_]+\\) = [a-z]+;\n" "" text "${text}")
# An http option may hold additional_bindings { ... }: those first.
string(REGEX REPLACE "additional_bindings {[^{}]*}" "" text "${text}")
string(REGEX REPLACE "option \\(google\\.api\\.http\\) = {[^{}]*};" "" text "${text}")
string(REGEX REPLACE " \\[\\(gogoproto\\.[^]]*\\]" "" text "${text}")
if(text MATCHES "gogoproto|google\\.api")
  message(FATAL_ERROR "${IN}: gogoproto or google.api options left after stripping")
endif()
file(WRITE "${OUT}" "${text}")
