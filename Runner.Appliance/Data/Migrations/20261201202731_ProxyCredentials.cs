using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Runner.Appliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProxyCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProxyPasswordCiphertext",
                table: "SecuritySettings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProxyUsername",
                table: "SecuritySettings",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ProxyPasswordCiphertext",
                table: "SecuritySettings");

            migrationBuilder.DropColumn(
                name: "ProxyUsername",
                table: "SecuritySettings");
        }
    }
}
