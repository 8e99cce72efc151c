using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DynReg.Middleware.EntityFrameworkCore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DynRegClients",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ClientName = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    IsDynamicallyRegistered = table.Column<bool>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DynRegClients", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "DynRegConnections",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DynRegConnections", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "DynRegConsents",
                columns: table => new
                {
                    Subject = table.Column<string>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", nullable: false),
                    Audience = table.Column<string>(type: "TEXT", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DynRegConsents", x => new { x.Subject, x.ClientId, x.Audience, x.Scope });
                });

            migrationBuilder.CreateTable(
                name: "DynRegDataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DynRegDataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DynRegProtocolState",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Value = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DynRegProtocolState", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "DynRegSigningKeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Pem = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DynRegSigningKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DynRegTenantSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DynRegTenantSettings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DynRegClients_ClientId",
                table: "DynRegClients",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DynRegClients_ClientName",
                table: "DynRegClients",
                column: "ClientName");

            migrationBuilder.CreateIndex(
                name: "IX_DynRegClients_IsDynamicallyRegistered",
                table: "DynRegClients",
                column: "IsDynamicallyRegistered");

            migrationBuilder.CreateIndex(
                name: "IX_DynRegConnections_Id",
                table: "DynRegConnections",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DynRegConnections_NormalizedName",
                table: "DynRegConnections",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DynRegProtocolState_ExpiresAt",
                table: "DynRegProtocolState",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DynRegClients");

            migrationBuilder.DropTable(
                name: "DynRegConnections");

            migrationBuilder.DropTable(
                name: "DynRegConsents");

            migrationBuilder.DropTable(
                name: "DynRegDataProtectionKeys");

            migrationBuilder.DropTable(
                name: "DynRegProtocolState");

            migrationBuilder.DropTable(
                name: "DynRegSigningKeys");

            migrationBuilder.DropTable(
                name: "DynRegTenantSettings");
        }
    }
}
